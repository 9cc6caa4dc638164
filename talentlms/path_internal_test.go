package talentlms

import (
	"strings"
	"testing"
)

func TestActionPath(t *testing.T) {
	tests := []struct {
		name   string
		params []param
		want   string // "" when refused
		errHas string
	}{
		{"email keeps @", []param{{"email", "ana@example.com"}}, "users/email:ana@example.com", ""},
		{"plus is %2B, not a space", []param{{"email", "ana+lms@example.com"}}, "users/email:ana%2Blms@example.com", ""},
		{"space is %20", []param{{"username", "ana lima"}}, "users/username:ana%20lima", ""},
		{"unicode is UTF-8 escaped", []param{{"username", "zoë.ñúñez"}}, "users/username:zo%C3%AB.%C3%B1%C3%BA%C3%B1ez", ""},
		{"reserved characters escaped", []param{{"username", "a&b=c?d#e%f;g$h'i"}}, "users/username:a%26b%3Dc%3Fd%23e%25f%3Bg%24h%27i", ""},
		{"unreserved kept", []param{{"username", "A-z_0.9~"}}, "users/username:A-z_0.9~", ""},
		{"pairs joined by commas in order", []param{{"user_id", "5"}, {"status", "inactive"}}, "users/user_id:5,status:inactive", ""},
		{"colon refused", []param{{"username", "a:b"}}, "", "username"},
		{"slash refused", []param{{"email", "a/b@example.com"}}, "", "email"},
		{"comma refused", []param{{"username", "a,b"}}, "", "comma, colon or slash"},
		{"empty refused", []param{{"id", ""}}, "", "id is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := actionPath("users", tt.params...)
			if tt.want == "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("actionPath = %q, %v; want an error naming %q", got, err, tt.errHas)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("actionPath = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if got, err := actionPath("siteinfo"); got != "siteinfo" || err != nil {
		t.Errorf("no params: %q, %v", got, err)
	}
}
