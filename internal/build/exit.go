package build

import (
	"os"
	"sync"
)

// swapping is held for reading while a build swaps its finished site and
// index into place, and for writing by Exit.
var swapping sync.RWMutex

// Exit ends the process with the given status, but never while a build is
// swapping its site and index into place: the two are exchanged one after
// the other, and a process ended between the two would leave the site of
// one build beside the index of another. Anywhere else a build can be
// ended: it writes beside the previous site and index, which stay as they
// were, its lock is released with the process (flock), and the next build
// removes what it left.
func Exit(code int) {
	swapping.Lock()
	os.Exit(code)
}
