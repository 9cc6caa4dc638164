package hibob_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/syncengine"
)

// answers serves canned HiBob answers by path, in process.
type answers map[string][]byte

func (a answers) RoundTrip(r *http.Request) (*http.Response, error) {
	body, ok := a[r.URL.Path]
	status := http.StatusOK
	if !ok {
		status, body = http.StatusNotFound, []byte(`{"key":"notFound","error":"Not found"}`)
	}
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
}

// cannedConnector reads the search answer search and the metadata of
// testdata/connector_fields.json.
func cannedConnector(t testing.TB, search []byte, opts hibob.ConnectorOptions) *hibob.Connector {
	t.Helper()
	return cannedWithMeta(t, search, readGolden(t, "connector_fields.json"), opts)
}

// cannedWithMeta reads the answers search and meta.
func cannedWithMeta(t testing.TB, search, meta []byte, opts hibob.ConnectorOptions) *hibob.Connector {
	t.Helper()
	rt := answers{"/v1/people/search": search, "/v1/company/people/fields": meta}
	c, err := hibob.New("SERVICE-1", "token-1", hibob.WithBaseURL("http://hibob.test/v1"),
		hibob.WithHTTPClient(&http.Client{Transport: rt}), hibob.WithRateLimit(hibob.Limit{}),
		hibob.WithRetry(hibob.RetryPolicy{MaxRetries: -1}))
	if err != nil {
		t.Fatal(err)
	}
	if opts.Now == nil {
		opts.Now = fixedClock
	}
	return hibob.NewConnector(c, opts)
}

// The connector on HiBob's live answer shape (slash keys only for
// non-null values, nested nulls, humanReadable apart, lower-case status,
// a metadata without root.id and work.manager), and the active flag on
// the statuses the fake does not produce.
func TestConnectorOnLiveAnswers(t *testing.T) {
	k := cannedConnector(t, readGolden(t, "connector_search_live.json"), hibob.ConnectorOptions{ExtraFields: []string{"about.hobbies"}})
	recs := listAll(t, k, syncengine.Users)

	const grace = "3332883804594373380"
	want := syncengine.Record{ID: grace, Active: true, Fields: map[string]any{
		"root.id": grace, "root.email": "grace.hopper@example.com", "root.firstName": "Grace",
		"root.surname": "Hopper", "root.displayName": "Grace Hopper",
		"work.department": "Executive", "work.department.id": "216874211",
		"work.title": "CEO", "work.title.id": "216874103", "work.siteId": "2118671",
		"work.reportsTo": nil, "work.startDate": date(2019, 3, 1),
		"internal.status": "active", "internal.lifecycleStatus": "employed", "internal.terminationDate": nil,
		"work.custom.field_1698036945383": nil, "payroll.custom.field_1694738605040": float64(42),
		"about.hobbies": "Chess, Sailing", "about.hobbies.id": []any{"101", "102"},
	}, Refs: map[string][]syncengine.Ref{"manager": {}, "teams": ref(syncengine.Teams, "216874211")}}
	if diff := cmp.Diff(want, recs[grace]); diff != "" {
		t.Errorf("Grace (-want +got):\n%s", diff)
	}
	ada := recs["3332883854254932743"]
	if diff := cmp.Diff(map[string][]syncengine.Ref{"manager": ref(syncengine.Users, grace), "teams": ref(syncengine.Teams, "216874212")}, ada.Refs); diff != "" {
		t.Errorf("Ada's refs (-want +got):\n%s", diff)
	}
	if ada.Fields["about.hobbies"] != nil || ada.Fields["about.hobbies.id"] != nil {
		t.Errorf("an empty multi-list reads %v / %v, want nil", ada.Fields["about.hobbies"], ada.Fields["about.hobbies.id"])
	}

	for id, tt := range map[string]struct {
		why    string
		active bool
	}{
		"3332883854254932743": {"on leave: status Inactive, lifecycle leave", false},
		"3332883854254932744": {"future starter: status inactive, start date after today", true},
		"3332883854254932745": {"last day today: termination date today, status Active", true},
		"3332883854254932749": {"left yesterday: termination date yesterday, status still Active", false},
		"3332883854254932746": {"future leaver: termination date after today", true},
		"3332883854254932747": {"lifecycle terminated, no date", false},
		"3332883854254932748": {"unreadable termination date, status Active", true},
	} {
		if recs[id].Active != tt.active {
			t.Errorf("%s: Active = %v, want %v", tt.why, recs[id].Active, tt.active)
		}
	}
	if got := recs["3332883854254932748"].Fields["internal.terminationDate"]; got != "31/12/2025" {
		t.Errorf("an unreadable date reads %#v, want it kept as text", got)
	}
	if got := recs["3332883854254932746"].Fields["internal.terminationDate"]; got != date(2026, 9, 30) {
		t.Errorf("future leaver's termination date = %#v", got)
	}
}

// A search answer that is not HiBob's shape fails List with an error, never
// a partial snapshot.
func TestConnectorMalformedAnswers(t *testing.T) {
	for _, body := range []string{``, `{}`, `[]`, `{"employees": {}}`, `{"employees": [1]}`, `<html></html>`} {
		k := cannedConnector(t, []byte(body), hibob.ConnectorOptions{})
		n := 0
		for r, err := range k.List(ctx, syncengine.Users) {
			n++
			if err == nil {
				t.Errorf("answer %q: List yielded %+v, want an error", body, r)
			}
		}
		if n != 1 {
			t.Errorf("answer %q: List yielded %d times, want one error", body, n)
		}
	}
}
