// Command importload measures what a large CSV import costs a running
// server: the latency of single CI creates sent while the import runs, the
// server's peak resident memory (VmHWM), and the size of the stored
// report (a clean import keeps counts, no rows). It is a measuring tool,
// not part of Rampart; the README gives the commands and the figures.
//
//	go run ./internal/cmdb/testdata/importload -url http://127.0.0.1:8080 -token $TOKEN \
//	    -rows 100000 -pid $(pgrep -n rampart)
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "server")
	token := flag.String("token", os.Getenv("RAMPART_TOKEN"), "API token (import and CI write)")
	rows := flag.Int("rows", 100000, "rows in the generated CSV")
	pid := flag.Int("pid", 0, "server process id, to read its peak RSS from /proc (0: skip)")
	every := flag.Duration("every", 20*time.Millisecond, "pause between CI creates")
	prefix := flag.String("prefix", "load", "name prefix, so runs do not collide")
	source := flag.String("source", "", "import source name (?source=); empty for the default")
	flag.Parse()

	csv := generate(*rows, *prefix)
	fmt.Printf("CSV: %d rows, %.1f MB\n", *rows, float64(len(csv))/1e6)
	var done atomic.Bool
	importErr := make(chan error, 1)
	start := time.Now()
	go func() {
		req, _ := http.NewRequest("POST", *url+"/api/v1/imports/csv?filename=load.csv&source="+*source, bytes.NewReader(csv))
		req.Header.Set("Authorization", "Bearer "+*token)
		req.Header.Set("Content-Type", "text/csv")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 201 {
				err = fmt.Errorf("import: %s: %.300s", resp.Status, body)
			} else {
				fmt.Printf("import: %.300s\n", body)
				fmt.Printf("import answer: %d bytes\n", len(body))
				reportSize(*url, *token, body)
			}
		}
		done.Store(true)
		importErr <- err
	}()
	var lat []time.Duration
	for i := 0; !done.Load(); i++ {
		body, _ := json.Marshal(map[string]any{"name": fmt.Sprintf("%s-live-%d", *prefix, i), "kind": "server", "business_criticality": 2})
		req, _ := http.NewRequest("POST", *url+"/api/v1/cis", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+*token)
		req.Header.Set("Content-Type", "application/json")
		running := !done.Load() // sent while the import runs
		t := time.Now()
		resp, err := http.DefaultClient.Do(req)
		d := time.Since(t)
		if err != nil {
			fmt.Fprintf(os.Stderr, "create %d: %v\n", i, err)
			os.Exit(1)
		}
		if resp.StatusCode != 201 {
			fmt.Fprintf(os.Stderr, "create %d: %s\n", i, resp.Status)
			os.Exit(1)
		}
		resp.Body.Close()
		if running {
			lat = append(lat, d)
		}
		time.Sleep(*every)
	}
	if err := <-importErr; err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("import took %.1f s\n", time.Since(start).Seconds())
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	if len(lat) > 0 {
		fmt.Printf("CI creates during the import: %d, p50 %v, p99 %v, max %v\n", len(lat),
			pct(0.50).Round(time.Millisecond), pct(0.99).Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
	}
	if *pid != 0 {
		fmt.Printf("server peak RSS (VmHWM): %s\n", vmHWM(*pid))
	}
}

// generate writes the CSV of the practice-foundation check: one server per
// row with a host name, an IP and two tags.
func generate(n int, prefix string) []byte {
	var b bytes.Buffer
	b.WriteString("name,kind,environment,business_criticality,ips,hostnames,tags\n")
	for i := range n {
		fmt.Fprintf(&b, "%s-%06d,server,production,%d,10.%d.%d.%d,%s-%06d,bulk;t%d\n",
			prefix, i, 1+i%5, 100+(i>>16)&127, (i>>8)&255, i&255, prefix, i, i%7)
	}
	return b.Bytes()
}

func vmHWM(pid int) string {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// reportSize reads the stored report of the import whose answer is body
// and says how large it is and how many rows it keeps on its first page.
func reportSize(url, token string, answer []byte) {
	var rep struct {
		Key  string            `json:"key"`
		Rows []json.RawMessage `json:"rows"`
	}
	if err := json.Unmarshal(answer, &rep); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		return
	}
	req, _ := http.NewRequest("GET", url+"/api/v1/imports/"+rep.Key, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, &rep); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		return
	}
	fmt.Printf("stored report %s: %d bytes, %d rows kept on its first page\n", rep.Key, len(body), len(rep.Rows))
}
