package litmos_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/litmos"
)

// pagingServer serves GET /teams from n teams named t0..t(n-1). extra is
// how many items beyond limit each page carries (litmos.md §7.4);
// ignoreStart makes it serve the first page whatever start says.
func pagingServer(t *testing.T, n, extra int, ignoreStart bool, starts *[]string) *litmos.Client {
	t.Helper()
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		q := r.URL.Query()
		*starts = append(*starts, q.Get("start"))
		start, _ := strconv.Atoi(q.Get("start"))
		limit, _ := strconv.Atoi(q.Get("limit"))
		if ignoreStart {
			start = 0
		}
		var items []string
		for i := start; i < n && i < start+limit+extra; i++ {
			items = append(items, fmt.Sprintf(`{"Id":"id%d","Name":"t%d"}`, i, i))
		}
		body := "[" + strings.Join(items, ",") + "]"
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	})}
	c, err := litmos.New("k", "app", litmos.WithBaseURL("https://litmos.test/v1.svc"), litmos.WithHTTPClient(hc), litmos.WithRateLimit(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPagingLongerPagesSkipNothing: pages longer than limit advance start
// by what arrived, so no team is skipped or listed twice.
func TestPagingLongerPagesSkipNothing(t *testing.T) {
	var starts []string
	c := pagingServer(t, 10, 1, false, &starts)
	var got []string
	for tm, err := range c.ListTeams(context.Background(), litmos.ListOptions{Limit: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, tm.Name)
	}
	if d := cmp.Diff([]string{"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"}, got); d != "" {
		t.Errorf("teams (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"0", "4", "8"}, starts); d != "" {
		t.Errorf("starts requested (-want +got):\n%s", d)
	}
}

// TestPagingStopsWhenStartIsIgnored: a server that serves the same full
// page whatever start says ends the listing with an error, not a loop.
func TestPagingStopsWhenStartIsIgnored(t *testing.T) {
	var starts []string
	c := pagingServer(t, 10, 0, true, &starts)
	n, errs := 0, 0
	for _, err := range c.ListTeams(context.Background(), litmos.ListOptions{Limit: 3}) {
		if err != nil {
			errs++
			if !strings.Contains(err.Error(), "repeats the previous page") {
				t.Errorf("err = %v", err)
			}
			continue
		}
		n++
		if n > 100 {
			t.Fatal("the listing does not end")
		}
	}
	if n != 3 || errs != 1 || len(starts) != 2 {
		t.Errorf("%d teams, %d errors, %d calls; want 3, 1 and 2", n, errs, len(starts))
	}
}
