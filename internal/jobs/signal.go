package jobs

import "sync"

// enqueued wakes this process's runners when a unit of work that enqueued
// a job commits, so work due now starts without waiting for the next poll.
// Runners in other processes find it on their next poll.
var enqueued signal

// Channel is the database notification channel on which committed jobs
// wake runners in other processes (see Runner.Listen).
const Channel = "rampart_jobs"

// Notify tells runners in this process that jobs were committed. The store
// registers it to run after commit; it never runs after a rollback.
func Notify() { enqueued.broadcast() }

// signal is a broadcast that can be waited on in a select.
type signal struct {
	mu sync.Mutex
	ch chan struct{}
}

// wait returns a channel closed by the next broadcast.
func (s *signal) wait() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch == nil {
		s.ch = make(chan struct{})
	}
	return s.ch
}

func (s *signal) broadcast() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
}
