package syncengine

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// benchLink is the i-th link of the benchmarks: a user with one synced value.
func benchLink(i int) Link {
	return Link{Collection: Users, AID: fmt.Sprint("employee-", i), BID: fmt.Sprint("learner-", i),
		Synced:    map[string]string{"b.email": fmt.Sprintf("employee-%d@example.com", i)},
		UpdatedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
}

// BenchmarkStorePutLink measures one durable PutLink into a store that
// already holds 10k links (replacing them in turn, as a resync does).
func BenchmarkStorePutLink(b *testing.B) {
	const n = 10_000
	for _, impl := range []struct {
		name string
		open func(b *testing.B) Store
	}{
		{"memory", func(*testing.B) Store { return NewMemoryStore() }},
		{"file", func(b *testing.B) Store {
			s, err := OpenFileStore(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		}},
	} {
		b.Run(impl.name, func(b *testing.B) {
			s := impl.open(b)
			ctx := context.Background()
			for i := 0; i < n; i++ {
				if err := s.PutLink(ctx, "bamboohr->litmos", benchLink(i)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.PutLink(ctx, "bamboohr->litmos", benchLink(i%n)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFileStoreOpen measures opening a store whose pair holds 10k
// links in its journal (no compaction yet: the most a load replays).
func BenchmarkFileStoreOpen(b *testing.B) {
	dir := b.TempDir()
	s, err := OpenFileStore(dir, FileStoreCompactAfter(1<<30))
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 10_000; i++ {
		if err := s.PutLink(context.Background(), "bamboohr->litmos", benchLink(i)); err != nil {
			b.Fatal(err)
		}
	}
	s.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := OpenFileStore(dir)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
