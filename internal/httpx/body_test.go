package httpx

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// readBody gives the same bytes and errors whatever the Content-Length
// says: exact, unknown, wrong either way, or over the limit.
func TestReadBodySizes(t *testing.T) {
	body := strings.Repeat("0123456789", 5000) // 50,000 bytes
	for _, tc := range []struct {
		name      string
		size, max int64
		want      int
		tooLarge  bool
	}{
		{"exact", 50000, 1 << 20, 50000, false},
		{"unknown", -1, 1 << 20, 50000, false},
		{"understated", 100, 1 << 20, 50000, false},
		{"overstated", 90000, 1 << 20, 50000, false},
		{"limit exactly", 50000, 50000, 50000, false},
		{"over the limit", 50000, 49999, 49999, true},
		{"over the limit, unknown size", -1, 49999, 49999, true},
		{"empty", 0, 1 << 20, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := body
			if tc.name == "empty" {
				src = ""
			}
			got, err := readBody(iotest.HalfReader(strings.NewReader(src)), tc.size, tc.max)
			if tc.tooLarge != errors.Is(err, ErrResponseTooLarge) || !tc.tooLarge && err != nil {
				t.Fatalf("err = %v, want too large: %v", err, tc.tooLarge)
			}
			if len(got) != tc.want || !bytes.Equal(got, []byte(src[:tc.want])) {
				t.Fatalf("read %d bytes, want %d", len(got), tc.want)
			}
		})
	}
}

// A read error is returned with what was read before it.
func TestReadBodyError(t *testing.T) {
	for _, size := range []int64{-1, 10} {
		got, err := readBody(iotest.TimeoutReader(strings.NewReader("0123456789")), size, 100)
		if !errors.Is(err, iotest.ErrTimeout) || string(got) != "0123456789" {
			t.Fatalf("size %d: %q, %v", size, got, err)
		}
	}
}

// A Pooled request's body is read whole, also when a first attempt fails
// mid-body and is retried; Release empties it and is safe to repeat.
func TestPooledBody(t *testing.T) {
	big := strings.Repeat("x", 100<<10)
	var calls int
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 { // a body cut short: the read fails, the GET is retried
			w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			w.Write([]byte(big[:10]))
			return
		}
		w.Write([]byte(big))
	}))
	c := newClient(t, srv.URL, nil)
	resp, err := c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "x", Pooled: true})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2 || string(resp.Body) != big {
		t.Fatalf("%d calls, %d bytes; want 2 calls, %d bytes", calls, len(resp.Body), len(big))
	}
	resp.Release()
	resp.Release()
	if resp.Body != nil {
		t.Fatal("Body kept after Release")
	}
	(*Response)(nil).Release()
}

// A pooled buffer made for a body has room for a somewhat larger one (the
// next page of a listing).
func TestReadBodyPooledRoom(t *testing.T) {
	body := strings.Repeat("x", 100_000)
	bp, b, err := readBodyPooled(strings.NewReader(body), int64(len(body)), 1<<20)
	if err != nil || string(b) != body {
		t.Fatalf("read %d bytes, %v", len(b), err)
	}
	defer releaseBody(bp)
	if c := cap(*bp); c < len(body)+len(body)/8 {
		t.Errorf("cap %d, want room for %d", c, len(body)+len(body)/8)
	}
}

// A body of unknown length spanning many chunks, ending on a chunk's edge
// or not, reads back whole into a slice of its own size.
func TestReadBodyUnknownLengthChunks(t *testing.T) {
	chunk := cap(*bodyChunks.Get().(*[]byte))
	for _, n := range []int{0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk, 5*chunk + 7} {
		src := strings.Repeat("abcdefg", n/7+1)[:n]
		got, err := readBody(iotest.OneByteReader(strings.NewReader(src)), -1, 1<<30)
		if err != nil || string(got) != src {
			t.Fatalf("%d bytes: read %d, %v", n, len(got), err)
		}
		if cap(got) != n {
			t.Errorf("%d bytes: cap %d, want exactly %d", n, cap(got), n)
		}
		if n == 0 {
			continue
		}
		got, err = readBody(strings.NewReader(src), -1, int64(n-1))
		if !errors.Is(err, ErrResponseTooLarge) || string(got) != src[:n-1] {
			t.Errorf("%d bytes, limit %d: read %d, %v; want the limit and ErrResponseTooLarge", n, n-1, len(got), err)
		}
	}
}
