package litmos

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// userDetailsPage builds a /users/details page of n users shaped like recorded
// Litmos traffic (https://github.com/charliequinn/python-litmos-api,
// tests/fixtures): every field present, the empty ones mostly null, ISO dates,
// an HTML entity in one name in 25, a manager on most, and a field this client
// does not name on one user in 10.
func userDetailsPage(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		last := fmt.Sprintf("Baker%04d", i)
		if i%25 == 0 {
			last = fmt.Sprintf("O&#39;Brien%04d", i)
		}
		name := fmt.Sprintf("user%04d@pieshop.net", i)
		mgr := `"0"`
		if i%4 != 0 {
			mgr = fmt.Sprintf(`"m%011d1"`, i/4)
		}
		extra := ""
		if i%10 == 0 {
			extra = `,"LearnerSince":"2016"`
		}
		fmt.Fprintf(&b, `{"Id":"u%010dA1","UserName":%q,"FirstName":"Janine","LastName":%q,`+
			`"FullName":"Janine %s","Email":%q,"AccessLevel":"Learner","DisableMessages":false,"Active":%t,`+
			`"Skype":null,"PhoneWork":"+44 20 7946 %04d","PhoneMobile":null,"LastLogin":"2016-12-09T07:54:27Z",`+
			`"LoginKey":"https://pieshop.litmos.com/login.aspx?loginkey=0f6c2a6e-0000-4000-8000-%012d",`+
			`"IsCustomUsername":false,"Password":"","SkipFirstLogin":true,"TimeZone":"GMT Standard Time",`+
			`"SalesforceId":null,"OriginalId":%d,"Street1":"%d High Street","Street2":null,"City":"London",`+
			`"State":null,"PostalCode":"EC1A 1BB","Country":"United Kingdom","CompanyName":"Pie Shop",`+
			`"JobTitle":"Baker","CustomField1":"bakery","CustomField2":null,"CustomField3":null,"Culture":"en-US",`+
			`"CustomField4":null,"CustomField5":null,"CustomField6":null,"CustomField7":null,"CustomField8":null,`+
			`"CustomField9":null,"CustomField10":null,"SalesforceContactId":null,"SalesforceAccountId":null,`+
			`"CreatedDate":"2016-11-10T13:50:11Z","Points":%d,"Brand":"Default","ManagerId":%s,"ManagerName":"",`+
			`"EnableTextNotification":false,"Website":null,"Twitter":null,"ExpirationDate":null,"JobRole":null,`+
			`"ExternalEmployeeId":"E%05d","ProfileType":"Internal"%s}`,
			i, name, last, last, name, i%7 != 0, i, i, 4138000+i, i%300, i%50, mgr, i, extra)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// BenchmarkDecodeUserDetailsPage decodes one 1,000-user /users/details
// page the way ListUserDetailsPage does; compare it with
// BenchmarkDecodeUserDetailsPageStdlib (go test -bench DecodeUserDetailsPage
// -benchmem -count 5 -cpu 1).
func BenchmarkDecodeUserDetailsPage(b *testing.B) {
	page := userDetailsPage(1000)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		users, err := decodeList[User](page)
		if err != nil || len(users) != 1000 {
			b.Fatalf("%d users, %v", len(users), err)
		}
	}
}

// plainUser is User without its methods: encoding/json decodes it
// strictly (no numbers as strings, no entities, no Extra), the baseline.
type plainUser User

// BenchmarkDecodeUserDetailsPageStdlib is the baseline: plain
// encoding/json into the same fields.
func BenchmarkDecodeUserDetailsPageStdlib(b *testing.B) {
	page := userDetailsPage(1000)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var users []plainUser
		if err := json.Unmarshal(page, &users); err != nil || len(users) != 1000 {
			b.Fatalf("%d users, %v", len(users), err)
		}
	}
}

// BenchmarkUserRecords turns a decoded page of 1,000 users into the
// records a listing yields, reading the fields a BambooHR → Litmos map
// and its match keys need.
func BenchmarkUserRecords(b *testing.B) {
	var users []User
	if err := json.Unmarshal(userDetailsPage(1000), &users); err != nil {
		b.Fatal(err)
	}
	only := map[string]bool{}
	for _, f := range []string{"UserName", "FirstName", "LastName", "Email", "JobTitle", "City", "Country",
		"PhoneWork", "PhoneMobile", "Street1", "State", "PostalCode", "AccessLevel", "CompanyName", "Id"} {
		only[f] = true
	}
	b.ReportAllocs()
	for b.Loop() {
		read := userFieldsOf(only)
		for i := range users {
			if rec := read.record(&users[i]); len(rec.Fields) == 0 {
				b.Fatal("no fields")
			}
		}
	}
}
