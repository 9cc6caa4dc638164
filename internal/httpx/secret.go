package httpx

import (
	"fmt"
	"io"
	"log/slog"
)

// redacted is what every secret prints as.
const redacted = "REDACTED"

// Secret holds a credential (an API key, a token, a password). It prints as
// "REDACTED" through fmt (every verb, including %v, %+v, %#v, %s, %q and %x),
// encoding/json, encoding.TextMarshaler users and log/slog; Reveal returns the value.
//
// fmt reaches a Secret's Format method only through exported struct fields or
// directly; a Secret kept in an unexported field of a struct that is printed
// with %v is printed raw by fmt, so types holding one unexported should
// implement fmt.Formatter themselves (as Client does).
type Secret string

// Reveal returns the secret value. Call it only where the value is sent.
func (s Secret) Reveal() string { return string(s) }

// String returns "REDACTED".
func (s Secret) String() string { return redacted }

// GoString returns "REDACTED".
func (s Secret) GoString() string { return redacted }

// Format prints "REDACTED" whatever the verb and flags.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", redacted)
		return
	}
	_, _ = io.WriteString(f, redacted)
}

// MarshalJSON encodes the secret as the JSON string "REDACTED".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText encodes the secret as "REDACTED".
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue makes slog log "REDACTED".
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }
