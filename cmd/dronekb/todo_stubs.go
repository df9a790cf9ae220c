package main

import (
	"context"
	"errors"
	"io"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("not built yet")
}
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("not built yet")
}
func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("not built yet")
}
