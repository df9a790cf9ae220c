//go:build race

package search_test

// raceOn is set when the tests run under the race detector, which makes a
// search several times slower: TestSameAsBleve then asks fewer variants of
// each query on the generated knowledge base.
const raceOn = true
