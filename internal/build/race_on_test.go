//go:build race

package build_test

// raceOn is set when the tests run under the race detector, which makes
// a build several times slower: the watch tests then use a smaller corpus.
const raceOn = true
