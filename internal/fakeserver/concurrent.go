package fakeserver

import (
	"errors"
	"sync"
)

// Concurrently runs call each times on each of workers goroutines and
// returns every error it gave, joined: the load under which tests check a
// client's pacing against a server's rate-limit emulation.
func Concurrently(workers, each int, call func() error) error {
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if err := call(); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
