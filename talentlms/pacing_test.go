package talentlms_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// The default pacing (PacedLimit, here on a 1 s window instead of 5 s)
// sends a full window at once, from
// several goroutines, with every seventh request held back on the way: the
// fake, counting the burst limit in a sliding window as TalentLMS does,
// refuses none, and sees each call once.
func TestSlidingLimitKeepsTheBurstLimit(t *testing.T) {
	t.Parallel()
	const per = time.Second
	srv := talentlmstest.NewServer(t, talentlmstest.WithRateLimit(talentlmstest.RateLimit{Requests: talentlms.DefaultRateLimit, Per: per}))
	hc := *srv.Client()
	hc.Transport = fakeserver.LateEvery(hc.Transport, 7, per/talentlms.DefaultRateLimit*5)
	c := srv.NewClient(t, talentlms.WithHTTPClient(&hc),
		talentlms.WithRateLimit(talentlms.PacedLimit(per)),
		talentlms.WithRetry(talentlms.RetryPolicy{MaxRetries: -1})) // a refusal fails its call
	const workers, perWorker = 4, (talentlms.DefaultRateLimit + 40) / 4
	if err := fakeserver.Concurrently(workers, perWorker, func() error {
		_, err := c.GetSiteInfo(ctx)
		return err
	}); err != nil {
		t.Error(err)
	}
	refused := srv.Log().Count(func(e talentlmstest.Entry) bool { return e.Status == http.StatusTooManyRequests })
	if refused != 0 {
		t.Errorf("%d of %d requests refused by the burst limit, want 0", refused, srv.Log().Count(nil))
	}
	if n := srv.Log().Count(nil); n != workers*perWorker {
		t.Errorf("the fake saw %d requests, want %d", n, workers*perWorker)
	}
}
