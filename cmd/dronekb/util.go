package main

import (
	"os"

	"github.com/dronekb/dronekb/internal/site"
)

func parseBase(raw string) (string, string, error) { return site.ParseBaseURL(raw) }

func requireDir(dir string) error {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usagef("content directory %q not found; run dronekb in a folder that has content/, or pass --content DIR", dir)
	}
	return nil
}
