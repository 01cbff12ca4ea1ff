// Command rssdriver parses one report and prints what it found, how long it
// took and the process's peak resident memory, to measure the parsers
// outside the test harness:
//
//	VULN_BENCH_REPORT=/tmp/trivy-1m.json go test ./internal/vuln/scanner -run '^$' -bench 'ParseTrivy/1M' -benchtime 1x
//	go run ./internal/vuln/scanner/testdata/rssdriver trivy /tmp/trivy-1m.json
//	go run ./internal/vuln/scanner/testdata/rssdriver -distinct=false trivy /tmp/trivy-1m.json
//
// It lives under testdata so that the project's builds leave it out.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
)

func main() {
	distinct := flag.Bool("distinct", true, "count distinct identities (holds a vuln.IdentitySet, as an import would)")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: rssdriver [-distinct=false] FORMAT FILE")
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(1))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	start := time.Now()
	n := 0
	var ids vuln.IdentitySet
	rep, err := scanner.Parse(flag.Arg(0), f, scanner.Options{}, func(fd vuln.Finding) error {
		n++
		if *distinct {
			ids.Add(fd.Identity())
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	el := time.Since(start)
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	fmt.Printf("%s %s: %d findings (%d distinct) in %.1f s (CPU %.1f s), %.0f findings/s; peak RSS %s\n", rep.Scanner,
		rep.FormatVersion, n, ids.Len(), el.Seconds(), cpu.Seconds(), float64(n)/el.Seconds(), peakRSS())
}

// peakRSS reads the process's high-water mark of resident memory.
func peakRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown"
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
