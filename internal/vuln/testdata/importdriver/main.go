// Command importdriver imports one scanner report into a database twice
// (the second import must change nothing) and times the findings list at
// that size, printing wall and CPU time and the process's peak resident
// memory:
//
//	VULN_BENCH_REPORT=/tmp/trivy-1m.json go test ./internal/vuln/scanner -run '^$' -bench 'ParseTrivy/1M' -benchtime 1x
//	go run ./internal/vuln/testdata/importdriver -db /tmp/bench.db trivy /tmp/trivy-1m.json
//	go run ./internal/vuln/testdata/importdriver -db postgres://... -list-only
//
// It lives under testdata so that the project's builds leave it out.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/services"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
)

func main() {
	target := flag.String("db", "/tmp/importdriver.db", "SQLite file or postgres:// URL (migrated here)")
	listOnly := flag.Bool("list-only", false, "only time the findings list")
	again := flag.Bool("again", true, "import the report a second time")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the imports here")
	chunk := flag.Int("chunk", 0, "findings per transaction (0: the engine's chunk size)")
	flag.Parse()
	if *profile != "" {
		pf, err := os.Create(*profile)
		check(err)
		check(pprof.StartCPUProfile(pf))
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	db, err := store.Open(ctx, *target, clock.Real{})
	check(err)
	defer db.Close()
	_, err = db.Migrate(ctx)
	check(err)
	svc := services.New(db, clock.Real{})
	svc.Vuln.WithChunk(*chunk)
	if !*listOnly {
		if flag.NArg() != 2 {
			fmt.Fprintln(os.Stderr, "usage: importdriver [-db TARGET] FORMAT FILE")
			os.Exit(2)
		}
		runs := 1
		if *again {
			runs = 2
		}
		for i := range runs {
			start, cpu0 := time.Now(), cpuTime()
			f, err := os.Open(flag.Arg(1))
			check(err)
			rep, err := svc.Vuln.Import(ctx, auth.System, vuln.ImportRequest{Format: flag.Arg(0), Filename: flag.Arg(1),
				Read: scanner.Source(flag.Arg(0), f, scanner.Options{})})
			f.Close()
			check(err)
			el := time.Since(start)
			fmt.Printf("import %d: %d findings (%d created, %d updated, %d unchanged, %d fixed; %d targets) in %.1f s (CPU %.1f s), %.0f findings/s; peak RSS %s\n",
				i+1, rep.Detail.Findings, rep.Created, rep.Updated, rep.Unchanged, rep.Detail.Fixed, rep.Detail.Targets,
				el.Seconds(), (cpuTime() - cpu0).Seconds(), float64(rep.Detail.Findings)/el.Seconds(), peakRSS())
		}
	}
	for _, c := range []struct {
		name string
		f    vuln.Filter
	}{
		{"first page (50), highest priority first", vuln.Filter{}},
		{"500 a page", vuln.Filter{Limit: 500}},
		{"priority=P2", vuln.Filter{Priority: []vuln.Priority{vuln.P2}}},
		{"state=open,reopened", vuln.Filter{State: []vuln.State{vuln.StateOpen, vuln.StateReopened}}},
		{"cve=CVE-2012-00002", vuln.Filter{CVE: "CVE-2012-00002"}},
		{"kev=true", vuln.Filter{KEV: ptr(true)}},
	} {
		var times []time.Duration
		var page vuln.Page
		for range 7 {
			start := time.Now()
			page, err = svc.Vuln.FindFindings(ctx, auth.System, c.f)
			check(err)
			times = append(times, time.Since(start))
		}
		sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
		fmt.Printf("list %-42s %3d items, total %d%s: median %.1f ms, max %.1f ms\n", c.name, len(page.Items), page.Total,
			map[bool]string{true: "+", false: ""}[page.TotalCapped], ms(times[len(times)/2]), ms(times[len(times)-1]))
	}
}

func ptr[T any](v T) *T { return &v }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func check(err error) {
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS reads the process's high-water mark of resident memory.
func peakRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
