package app

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// Bounds of the automatic number of concurrent password hashes. Each takes
// auth.HashMemory (64 MiB) for its duration.
const (
	// MinHashSlots: even a small machine checks two sign-ins at once.
	MinHashSlots = 2
	// MaxHashSlots: beyond this, more memory buys nothing, since argon2id
	// is CPU-bound as well (4 lanes each).
	MaxHashSlots = 32
	// hashSlotsPerCPU: more concurrent hashes than this per CPU only make
	// each slower (every one keeps its 64 MiB for longer), not more done.
	hashSlotsPerCPU = 2
	// hashMemoryShare is the part of the available memory password
	// hashing may take: the rest is for the database, imports and the
	// page cache.
	hashMemoryShare = 4 // one quarter
)

// HashSlots is how many password hashes this process may compute at once:
// a quarter of the memory available to it (the cgroup's memory.max minus
// its use when a limit is set, else MemAvailable of /proc/meminfo) divided
// by auth.HashMemory, and at most two per CPU the process may use, within
// MinHashSlots and MaxHashSlots. Unknown memory gives
// auth.DefaultHashSlots, still within the CPU bound.
func HashSlots() int { return hashSlotsFrom(availableMemory(os.ReadFile), runtime.GOMAXPROCS(0)) }

func hashSlotsFrom(avail int64, cpus int) int {
	n := auth.DefaultHashSlots
	if avail > 0 {
		n = int(avail / hashMemoryShare / auth.HashMemory)
	}
	n = min(n, hashSlotsPerCPU*cpus)
	return min(max(n, MinHashSlots), MaxHashSlots)
}

// availableMemory reads the memory this process may still use, in bytes:
// the tighter of the cgroup v2 limit's headroom and MemAvailable; 0 when
// neither can be read.
func availableMemory(read func(string) ([]byte, error)) int64 {
	avail := memAvailable(read)
	if limit, ok := readInt(read, "/sys/fs/cgroup/memory.max"); ok {
		used, _ := readInt(read, "/sys/fs/cgroup/memory.current")
		if head := limit - used; head > 0 && (avail == 0 || head < avail) {
			avail = head
		}
	}
	return avail
}

// memAvailable is MemAvailable of /proc/meminfo in bytes, 0 if unknown.
func memAvailable(read func(string) ([]byte, error)) int64 {
	b, err := read("/proc/meminfo")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "MemAvailable:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err == nil {
				return kb * 1024
			}
		}
	}
	return 0
}

// readInt reads a file holding one integer ("max" is no limit: false).
func readInt(read func(string) ([]byte, error), path string) (int64, bool) {
	b, err := read(path)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n, err == nil
}
