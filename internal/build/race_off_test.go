//go:build !race

package build_test

const raceOn = false
