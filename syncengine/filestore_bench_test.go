package syncengine

import (
	"context"
	"fmt"
	"testing"
)

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
			links := make([]Link, n)
			for i := range links {
				links[i] = storeLink(Users, fmt.Sprint("employee-", i), fmt.Sprint("learner-", i))
				if err := s.PutLink(ctx, "bamboohr->litmos", links[i]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.PutLink(ctx, "bamboohr->litmos", links[i%n]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
