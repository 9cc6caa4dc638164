package httpx

import (
	"bytes"
	"errors"
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
