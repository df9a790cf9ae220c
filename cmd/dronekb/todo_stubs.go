package main

import (
	"context"
	"errors"
	"github.com/dronekb/dronekb/internal/build"
	"io"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("not built yet")
}
func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("not built yet")
}

func indexer() build.Indexer { return nil }
