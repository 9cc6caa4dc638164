package litmos

import (
	"strings"
	"testing"
)

// setUserFields sets every field it is given, and when some cannot be set
// reports the first by name, whichever order the struct has them in.
func TestSetUserFields(t *testing.T) {
	var u User
	if err := setUserFields(&u, map[string]any{"LastName": "Lima", "FirstName": "Ana", "City": "Porto"}); err != nil || u.LastName != "Lima" || u.FirstName != "Ana" || u.City != "Porto" {
		t.Fatalf("set: %v %+v", err, u)
	}
	for _, c := range []struct {
		fields map[string]any
		want   string
	}{
		{map[string]any{"LastName": "L", "Bogus": "x"}, `"Bogus" is not a Litmos user field`},
		{map[string]any{"UserName": []int{5}, "Email": []int{7}}, `field "Email"`},
		{map[string]any{"LastName": []int{5}, "CreatedDate": "x"}, `"CreatedDate" is computed by Litmos`},
	} {
		var u User
		err := setUserFields(&u, c.fields)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %s", c.fields, err, c.want)
		}
	}
	if n := testing.AllocsPerRun(50, func() {
		var u User
		_ = setUserFields(&u, map[string]any{"LastName": "Lima", "FirstName": "Ana"})
	}); n > 1 {
		t.Errorf("%v allocations, want at most the User", n)
	}
}
