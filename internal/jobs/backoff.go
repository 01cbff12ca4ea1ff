package jobs

import "time"

// backoff is how long a job waits after its attempts-th failed attempt:
// base·2^attempts, capped at max, with "equal jitter": half of it fixed,
// half scaled by r in [0, 1). The fixed half keeps retries from coming
// back too soon; the random half spreads replicas' retries of jobs that
// failed together (a database restart) so they do not return as one burst.
func backoff(base, max time.Duration, attempts int, r float64) time.Duration {
	d := max
	if attempts < 62 && base > 0 && base <= max>>attempts {
		d = base << attempts
	}
	half := d / 2
	return d - half + time.Duration(r*float64(half))
}
