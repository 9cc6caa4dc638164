package hibob_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
)

func searches(e hibobtest.Entry) bool { return e.Path == "/v1/people/search" }

// The fake limits searches as HiBob does (429 with Retry-After); the client
// waits what Retry-After says (capped by MaxWait) before it tries again. The
// fake's clock runs a thousand times faster than the wall clock, so the
// client's 200 ms wait is 200 s for the fake: past its one-minute window.
func TestSearch429HonoursRetryAfter(t *testing.T) {
	srv, _ := seeded(t, hibobtest.WithRateLimit(hibobtest.RateLimit{Requests: 1, Per: time.Minute, Match: hibobtest.IsSearch}))
	start, t0 := time.Now(), fixedClock()
	srv.SetClock(func() time.Time { return t0.Add(time.Since(start) * 1000) })
	var logs bytes.Buffer
	c := srv.NewClient(t,
		hibob.WithRetry(hibob.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 200 * time.Millisecond}),
		hibob.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	for i := range 2 {
		if _, err := c.SearchPeople(ctx, hibob.SearchParams{}); err != nil {
			t.Fatalf("search %d: %v", i, err)
		}
	}
	var got []int
	var at []time.Time
	for _, e := range srv.Log().Entries() {
		if searches(e) {
			got = append(got, e.Status)
			at = append(at, e.At)
		}
	}
	if diff := cmp.Diff([]int{200, 429, 200}, got); diff != "" {
		t.Fatalf("search statuses (-want +got):\n%s", diff)
	}
	if gap := at[2].Sub(at[1]); gap < 59*time.Second {
		t.Errorf("retried %v (fake time) after the 429; Retry-After said about 60s", gap)
	}
	var waits []string
	dec := json.NewDecoder(&logs)
	for dec.More() {
		var rec struct {
			Status int
			Wait   float64
		}
		if err := dec.Decode(&rec); err != nil {
			t.Fatal(err)
		}
		if rec.Status == 429 {
			waits = append(waits, time.Duration(rec.Wait).String())
		}
	}
	// Exponential backoff from MinWait would wait about 1ms: 200ms is Retry-After capped by MaxWait.
	if diff := cmp.Diff([]string{"200ms"}, waits); diff != "" {
		t.Errorf("logged waits after 429 (-want +got):\n%s", diff)
	}
}

// When retries run out the error matches ErrRateLimited and carries the
// fake's Retry-After; other endpoints are not limited.
func TestSearch429RetriesSpent(t *testing.T) {
	srv, ids := seeded(t)
	srv.SetRateLimit(hibobtest.RateLimit{Requests: 1, Per: time.Minute, Match: hibobtest.IsSearch})
	c := srv.NewClient(t)
	if _, err := c.SearchPeople(ctx, hibob.SearchParams{}); err != nil {
		t.Fatal(err)
	}
	_, err := c.SearchPeople(ctx, hibob.SearchParams{})
	var apiErr *hibob.APIError
	if !errors.Is(err, hibob.ErrRateLimited) || !errors.As(err, &apiErr) || apiErr.RetryAfter != time.Minute || apiErr.Code != "tooManyRequests" {
		t.Fatalf("spent retries: %v", err)
	}
	if n := srv.Log().Count(searches); n != 4 {
		t.Errorf("%d searches, want 1 + 1 with 2 retries", n)
	}
	for range 3 {
		if _, err := c.GetEmployee(ctx, ids["ceo"], hibob.GetEmployeeParams{}); err != nil {
			t.Errorf("read one while searches are limited: %v", err)
		}
	}
}

// The default fake limits searches to HiBob's 50 a minute per service user.
func TestFakeDefaultSearchLimit(t *testing.T) {
	srv, _ := seeded(t)
	c := srv.NewClient(t, hibob.WithRetry(hibob.RetryPolicy{MaxRetries: -1}))
	for i := range hibob.DefaultSearchRateLimit {
		if _, err := c.SearchPeople(ctx, hibob.SearchParams{ActiveOnly: true}); err != nil {
			t.Fatalf("search %d: %v", i+1, err)
		}
	}
	if _, err := c.SearchPeople(ctx, hibob.SearchParams{}); !errors.Is(err, hibob.ErrRateLimited) {
		t.Errorf("search 51: %v, want ErrRateLimited", err)
	}
	if _, err := c.Fields(ctx); err != nil {
		t.Errorf("fields after the search limit: %v", err)
	}
}
