package app

import (
	"io/fs"
	"testing"
)

// TestHashSlots sizes the password-hashing bound from the memory the
// process may use: the cgroup limit's headroom when tighter, MemAvailable
// otherwise, within the floor and the ceiling.
func TestHashSlots(t *testing.T) {
	meminfo := func(kb string) string { return "MemTotal: 99 kB\nMemAvailable:   " + kb + " kB\n" }
	cases := []struct {
		name  string
		files map[string]string
		cpus  int
		want  int
	}{
		{"nothing readable", nil, 16, 4},
		{"plenty of memory, 2 CPUs", map[string]string{"/proc/meminfo": meminfo("22499024")}, 2, 4},
		{"4 GiB available", map[string]string{"/proc/meminfo": meminfo("4194304")}, 16, 16},
		{"tiny machine: floor", map[string]string{"/proc/meminfo": meminfo("102400")}, 16, MinHashSlots},
		{"huge machine: ceiling", map[string]string{"/proc/meminfo": meminfo("1073741824")}, 64, MaxHashSlots},
		{"cgroup limit tighter", map[string]string{"/proc/meminfo": meminfo("16777216"),
			"/sys/fs/cgroup/memory.max": "2147483648", "/sys/fs/cgroup/memory.current": "536870912"}, 16, 6},
		{"cgroup without limit", map[string]string{"/proc/meminfo": meminfo("2097152"),
			"/sys/fs/cgroup/memory.max": "max\n"}, 16, 8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			read := func(p string) ([]byte, error) {
				if s, ok := c.files[p]; ok {
					return []byte(s), nil
				}
				return nil, fs.ErrNotExist
			}
			if got := hashSlotsFrom(availableMemory(read), c.cpus); got != c.want {
				t.Errorf("slots = %d, want %d", got, c.want)
			}
		})
	}
}
