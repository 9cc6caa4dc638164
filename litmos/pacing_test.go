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
// minute) keeps a margin of one request per window, so a request that
// arrives late never puts DefaultRateLimit+1 requests in any window the
// vendor counts: the fake, counting a sliding window, refuses none. Pacing
// at exactly DefaultRateLimit per window makes the request a hundred after
// a late one the window's 101st.
func TestPacedLimitKeepsEveryWindowUnderTheLimit(t *testing.T) {
	t.Parallel()
	const per = 2 * time.Second
	srv := litmostest.NewServer(t, litmostest.WithRateLimit(litmostest.RateLimit{Requests: litmos.DefaultRateLimit, Per: per}))
	hc := *srv.Client()
	hc.Transport = fakeserver.LateEvery(hc.Transport, 7, per/litmos.DefaultRateLimit/2)
	c := srv.NewClient(t, litmos.WithHTTPClient(&hc), litmos.WithRateLimit(litmos.PacedLimit(per)))
	ctx := context.Background()
	const calls = litmos.DefaultRateLimit + 20
	for range calls {
		if _, err := c.ListTeamsPage(ctx, litmos.ListParams{}); err != nil {
			t.Fatal(err)
		}
	}
	refused := srv.Log().Count(func(e litmostest.Entry) bool { return e.Status == http.StatusServiceUnavailable })
	if refused != 0 {
		t.Errorf("%d of %d requests refused by the rate limit, want 0", refused, srv.Log().Count(nil))
	}
}
