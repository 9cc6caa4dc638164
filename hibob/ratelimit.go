package hibob

import (
	"fmt"
	"time"

	"github.com/rostersync/rostersync/internal/httpx"
)

// Endpoint is a group of HiBob calls that share one client-side rate
// limiter. HiBob limits each endpoint per minute, and its people search far
// lower than a sync would like (https://apidocs.hibob.com/docs/rate-limit),
// so a burst of searches never delays a read of one employee, and neither
// delays the other.
type Endpoint int

// The endpoint groups.
const (
	// SearchEndpoint is POST /people/search.
	SearchEndpoint Endpoint = iota + 1
	// ReadEndpoint is every other read: one employee, named lists, fields.
	ReadEndpoint
	// WriteEndpoint is every write: create, update, work entries.
	WriteEndpoint
)

const endpointCount = 3

var endpoints = [endpointCount]Endpoint{SearchEndpoint, ReadEndpoint, WriteEndpoint}

// Default rate limits, in requests a minute per service user. Search is
// documented at 50 (https://apidocs.hibob.com/docs/rate-limit); metadata
// reads at 50 and metadata writes at 10
// (https://apidocs.hibob.com/reference/metadata), which the other reads and
// the writes follow.
const (
	DefaultSearchRateLimit = 50
	DefaultRateLimit       = 50
	DefaultWriteRateLimit  = 10
)

// String names the group.
func (e Endpoint) String() string {
	switch e {
	case SearchEndpoint:
		return "search"
	case ReadEndpoint:
		return "read"
	case WriteEndpoint:
		return "write"
	}
	return fmt.Sprintf("Endpoint(%d)", int(e))
}

func (e Endpoint) valid() bool { return e >= SearchEndpoint && e <= WriteEndpoint }

func (e Endpoint) index() int { return int(e) - 1 }

// DefaultLimit is e's limit when no option sets one: its requests a minute,
// one at a time.
func (e Endpoint) DefaultLimit() Limit {
	n := DefaultRateLimit
	switch e {
	case SearchEndpoint:
		n = DefaultSearchRateLimit
	case WriteEndpoint:
		n = DefaultWriteRateLimit
	}
	return Limit{Requests: n, Per: time.Minute, Burst: 1}
}

// WithEndpointRateLimit paces the calls of group e with l (Requests 0
// turns pacing off for it), whatever WithRateLimit says.
func WithEndpointRateLimit(e Endpoint, l Limit) Option {
	return func(o *options) error {
		if !e.valid() {
			return fmt.Errorf("unknown endpoint group %v", e)
		}
		var check httpx.Settings
		if err := check.SetRateLimit(l); err != nil {
			return fmt.Errorf("%v endpoint: %w", e, err)
		}
		if o.endpoint == nil {
			o.endpoint = map[Endpoint]Limit{}
		}
		o.endpoint[e] = l
		return nil
	}
}

// limitFor is e's limit: WithEndpointRateLimit, else WithRateLimit, else the default.
func (o *options) limitFor(e Endpoint) Limit {
	if l, ok := o.endpoint[e]; ok {
		return l
	}
	return o.RateLimit(e.DefaultLimit())
}

// RateLimit returns the limit the client paces group e with.
func (c *Client) RateLimit(e Endpoint) Limit {
	if !e.valid() {
		return Limit{}
	}
	return c.limits[e.index()]
}
