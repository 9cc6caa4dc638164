package fakeserver

import (
	"encoding/xml"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type recorded struct {
	Status      int
	ContentType string
	Body        string
}

func record(w *httptest.ResponseRecorder) recorded {
	return recorded{w.Code, w.Header().Get("Content-Type"), w.Body.String()}
}

func TestReplyHelpers(t *testing.T) {
	type person struct {
		XMLName xml.Name `xml:"user" json:"-"`
		Name    string   `xml:"name" json:"name"`
	}
	tests := []struct {
		name   string
		preset string // Content-Type the handler set first
		write  func(http.ResponseWriter)
		want   recorded
	}{
		{
			name:  "JSON",
			write: func(w http.ResponseWriter) { WriteJSON(w, 201, person{Name: "Zoë"}) },
			want:  recorded{201, "application/json; charset=utf-8", `{"name":"Zoë"}` + "\n"},
		},
		{
			name:  "JSON empty list",
			write: func(w http.ResponseWriter) { WriteJSON(w, 200, Page([]int{}, 0, 10)) },
			want:  recorded{200, "application/json; charset=utf-8", "[]\n"},
		},
		{
			name:  "JSON that cannot be encoded",
			write: func(w http.ResponseWriter) { WriteJSON(w, 200, make(chan int)) },
			want:  recorded{500, "text/plain; charset=utf-8", "fakeserver: encoding JSON reply: json: unsupported type: chan int\n"},
		},
		{
			name:  "XML",
			write: func(w http.ResponseWriter) { WriteXML(w, 200, person{Name: "Zoë & co"}) },
			want:  recorded{200, "application/xml; charset=utf-8", xml.Header + "<user><name>Zoë &amp; co</name></user>"},
		},
		{
			name:   "XML keeps the handler's Content-Type",
			preset: "text/xml",
			write:  func(w http.ResponseWriter) { WriteXML(w, 200, person{Name: "A"}) },
			want:   recorded{200, "text/xml", xml.Header + "<user><name>A</name></user>"},
		},
		{
			name:  "XML that cannot be encoded",
			write: func(w http.ResponseWriter) { WriteXML(w, 200, map[string]int{}) },
			want:  recorded{500, "text/plain; charset=utf-8", "fakeserver: encoding XML reply: xml: unsupported type: map[string]int\n"},
		},
		{
			name:  "text",
			write: func(w http.ResponseWriter) { WriteText(w, 404, "Not found") },
			want:  recorded{404, "text/plain; charset=utf-8", "Not found"},
		},
		{
			name:   "text as HTML",
			preset: "text/html",
			write:  func(w http.ResponseWriter) { WriteText(w, 200, "") },
			want:   recorded{200, "text/html", ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			if tt.preset != "" {
				w.Header().Set("Content-Type", tt.preset)
			}
			tt.write(w)
			if diff := cmp.Diff(tt.want, record(w)); diff != "" {
				t.Errorf("reply (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBasicAuth(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	if _, _, ok := BasicAuth(r); ok {
		t.Errorf("BasicAuth without a header: ok = true")
	}
	r.SetBasicAuth("api-key", "x")
	user, pass, ok := BasicAuth(r)
	if diff := cmp.Diff([]any{"api-key", "x", true}, []any{user, pass, ok}); diff != "" {
		t.Errorf("BasicAuth (-want +got):\n%s", diff)
	}
	r.Header.Set("Authorization", "Bearer api-key")
	if _, _, ok := BasicAuth(r); ok {
		t.Errorf("BasicAuth with a bearer token: ok = true")
	}
}

func TestPage(t *testing.T) {
	items := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	tests := []struct {
		start, limit int
		want         []int
	}{
		{0, 3, []int{0, 1, 2}},
		{3, 3, []int{3, 4, 5}},
		{8, 5, []int{8, 9}},
		{9, 1, []int{9}},
		{10, 3, []int{}},
		{15, 3, []int{}},
		{-2, 2, []int{0, 1}},
		{3, 0, []int{3, 4, 5, 6, 7, 8, 9}},
		{7, -1, []int{7, 8, 9}},
		{5, math.MaxInt, []int{5, 6, 7, 8, 9}},
		{math.MaxInt, math.MaxInt, []int{}},
		{math.MinInt, 1, []int{0}},
	}
	for _, tt := range tests {
		got := Page(items, tt.start, tt.limit)
		if got == nil {
			t.Errorf("Page(%d, %d) = nil, want a non-nil slice", tt.start, tt.limit)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Page(%d, %d) (-want +got):\n%s", tt.start, tt.limit, diff)
		}
	}
	if got := Page[string](nil, 0, 5); got == nil || len(got) != 0 {
		t.Errorf("Page(nil) = %#v, want an empty non-nil slice", got)
	}

	// Appending to a page must not overwrite the items after it.
	page := Page(items, 0, 2)
	_ = append(page, 100)
	if items[2] != 2 {
		t.Errorf("append to a page overwrote items[2] with %d", items[2])
	}
}
