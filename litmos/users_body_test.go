package litmos

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestReplaceUserBody: the PUT body is the object read, with the fields Litmos
// computes blanked or left out as in the recorded PUT Litmos accepted, and
// every date in the "/Date(ms)/" form
// (https://github.com/charliequinn/python-litmos-api): no ISO date and no
// single-use LoginKey goes back.
func TestReplaceUserBody(t *testing.T) {
	var u User
	if err := json.Unmarshal(readTestdata(t, "user_get.json"), &u); err != nil {
		t.Fatal(err)
	}
	exp, err := ParseTime("2027-01-31T00:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	u.ExpirationDate = exp // read in the ISO form
	b, err := userWriteBody(u)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "user_replace_request.golden.json", b)
	body := string(b)
	for _, bad := range []string{"2016-", "2027-", "loginkey=", `"OriginalId"`, `"CreatedDate"`, `"Points"`, "Janine Butcher"} {
		if strings.Contains(body, bad) {
			t.Errorf("PUT body carries %q:\n%s", bad, body)
		}
	}
	const want = `"ExpirationDate":"/Date(1801353600000)/"` // 2027-01-31T00:00:00Z
	if !strings.Contains(body, want) {
		t.Errorf("PUT body lacks %s:\n%s", want, body)
	}
}
