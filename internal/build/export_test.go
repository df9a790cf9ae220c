package build

// WriteApart makes the builds of a test write their indexes after their
// site (true) or beside it (false), whatever the size of the knowledge
// base, and returns what undoes it.
func WriteApart(apart bool) (restore func()) {
	writeApart = &apart
	return func() { writeApart = nil }
}
