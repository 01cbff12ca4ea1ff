package auth

// HoldHashSlots takes every slot of the password-hashing gate, as that
// many sign-ins being checked at once would, and returns their release.
func (s *Service) HoldHashSlots() func() {
	n := cap(s.gate.slots)
	for range n {
		s.gate.slots <- struct{}{}
	}
	return func() {
		for range n {
			<-s.gate.slots
		}
	}
}
