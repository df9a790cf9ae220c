package site

// SetSpillAt makes pages larger than n bytes go to their files as they
// render, and returns what puts it back.
func SetSpillAt(n int) (restore func()) {
	old := spillAt
	spillAt = n
	return func() { spillAt = old }
}
