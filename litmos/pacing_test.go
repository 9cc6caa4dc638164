package litmos_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// The default pacing (PacedLimit, here on a 2 s window instead of a
// minute) sends DefaultRateLimit requests a window, from several
// goroutines, with every seventh request held back on the way as a slow
// hop would: the fake, counting a sliding window of DefaultRateLimit as
// Litmos does, refuses none, and sees each call once. (The old pacing, a
// token bucket of DefaultRateLimit-1 a window, was refused whenever a late
// request let the next go close behind it.)
func TestPacedLimitKeepsEveryWindowUnderTheLimit(t *testing.T) {
	t.Parallel()
	const per = 2 * time.Second
	srv := litmostest.NewServer(t, litmostest.WithRateLimit(litmostest.RateLimit{Requests: litmos.DefaultRateLimit, Per: per}))
	hc := *srv.Client()
	hc.Transport = fakeserver.LateEvery(hc.Transport, 7, per/litmos.DefaultRateLimit*2)
	c := srv.NewClient(t, litmos.WithHTTPClient(&hc), litmos.WithRateLimit(litmos.PacedLimit(per)),
		litmos.WithRetry(litmos.RetryPolicy{MaxRetries: -1})) // a refusal fails its call
	ctx := context.Background()
	const workers, perWorker = 4, (litmos.DefaultRateLimit + 20) / 4
	if err := fakeserver.Concurrently(workers, perWorker, func() error {
		_, err := c.ListTeamsPage(ctx, litmos.ListParams{})
		return err
	}); err != nil {
		t.Error(err)
	}
	refused := srv.Log().Count(func(e litmostest.Entry) bool { return e.Status == http.StatusServiceUnavailable })
	if refused != 0 {
		t.Errorf("%d of %d requests refused by the rate limit, want 0", refused, srv.Log().Count(nil))
	}
	if n := srv.Log().Count(nil); n != workers*perWorker {
		t.Errorf("the fake saw %d requests, want %d", n, workers*perWorker)
	}
}
