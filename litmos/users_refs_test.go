package litmos

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// usersPagingClient serves GET /users/details from n users u0..u(n-1);
// ignoreStart makes it serve the first page whatever start says.
func usersPagingClient(t *testing.T, n int, ignoreStart bool) *Client {
	t.Helper()
	hc := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		q := r.URL.Query()
		start, _ := strconv.Atoi(q.Get("start"))
		limit, _ := strconv.Atoi(q.Get("limit"))
		if ignoreStart {
			start = 0
		}
		var items []string
		for i := start; i < n && i < start+limit; i++ {
			items = append(items, fmt.Sprintf(`{"Id":"id%d","UserName":"u%d","Active":true}`, i, i))
		}
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader("[" + strings.Join(items, ",") + "]")), Request: r}, nil
	})}
	c, err := New("k", "app", WithBaseURL("https://litmos.test/v1.svc"), WithHTTPClient(hc), WithRateLimit(Limit{}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestUserDetailsRefsReusePages: the pages listUserDetailsRefs decodes
// over reused buffers still yield every user once, each whole while it is
// read, and a page that repeats the one before still ends the listing.
func TestUserDetailsRefsReusePages(t *testing.T) {
	var got []string
	for u, err := range usersPagingClient(t, 8, false).listUserDetailsRefs(context.Background(), ListParams{Limit: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, u.ID+" "+u.UserName+" "+string(u.Snapshot.raw))
	}
	var want []string
	for i := range 8 {
		want = append(want, fmt.Sprintf(`id%d u%d {"Id":"id%d","UserName":"u%d","Active":true}`, i, i, i, i))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("users (-want +got):\n%s", d)
	}

	n := 0
	var last error
	for _, err := range usersPagingClient(t, 8, true).listUserDetailsRefs(context.Background(), ListParams{Limit: 3}) {
		if last = err; err != nil {
			break
		}
		if n++; n > 100 {
			t.Fatal("the listing does not end")
		}
	}
	if n != 3 || last == nil || !strings.Contains(last.Error(), "repeats the previous page") {
		t.Errorf("%d users, then %v; want 3, then the repeated page", n, last)
	}
}
