package litmos_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/litmos"
)

// TestStartBulkImportBody pins the XML a row becomes, every column set:
// the elements in the schema's order, empty ones left out, text escaped
// (a raw "&" or "<" would break the import) and non-XML characters
// replaced.
func TestStartBulkImportBody(t *testing.T) {
	srv, c := newFake(t)
	active := false
	row := litmos.UserImport{
		Username: "ana.lima", Email: "ana@example.com", FirstName: "Ana", LastName: "Lima & <Sons>",
		Password: "s3cret", Phone: "+1 555", Mobile: "+1 556", Skype: "ana.skype", Title: `"Chief" Baker's`,
		CompanyName: "Acme", Website: "https://acme.example/?a=1&b=2", Twitter: "@ana",
		Teams: []string{"T1", "T2", "T3", "T4", "T5"}, Courses: []string{"C1", "", "C3"},
		Address1: "1 Main St", Address2: "Flat\t2", City: "Porto", State: "PT-13", Zip: "4000", Country: "Portugal",
		CustomField1: "c1", CustomField2: "c2", CustomField3: "c3", CustomField4: "c4", CustomField5: "c5",
		CustomField6: "c6", CustomField7: "c7", CustomField8: "c8", CustomField9: "c9", CustomField10: "c10",
		SalesforceID: "sf", SalesforceContactID: "sfc", SalesforceAccountID: "sfa",
		Active: &active, InactiveDate: time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("x", 3600)),
		AccessLevel: litmos.ImportLearner, Brand: "Brand", Culture: "pt-PT", Manager: "bo.chen",
		UserCustomFields: map[int]string{1: "u1", 9: "ü9\x01", 25: "u25"},
		JobRole:          "Baker", ExternalEmployeeID: "E-1",
	}
	if _, err := c.StartBulkImport(context.Background(), []litmos.UserImport{row}, litmos.BulkImportParams{}); err != nil {
		t.Fatal(err)
	}
	const want = "<UserImports><UserImport>" +
		"<Username>ana.lima</Username><Email>ana@example.com</Email><FirstName>Ana</FirstName>" +
		"<LastName>Lima &amp; &lt;Sons&gt;</LastName><Password>s3cret</Password><Phone>+1 555</Phone>" +
		"<Mobile>+1 556</Mobile><Skype>ana.skype</Skype><Title>&#34;Chief&#34; Baker&#39;s</Title>" +
		"<CompanyName>Acme</CompanyName><WebSite>https://acme.example/?a=1&amp;b=2</WebSite><Twitter>@ana</Twitter>" +
		"<Team1>T1</Team1><Team2>T2</Team2><Team3>T3</Team3><Team4>T4</Team4><Team5>T5</Team5>" +
		"<Course1>C1</Course1><Course3>C3</Course3>" +
		"<Address1>1 Main St</Address1><Address2>Flat&#x9;2</Address2><City>Porto</City><State>PT-13</State>" +
		"<Zip>4000</Zip><Country>Portugal</Country>" +
		"<CustomField1>c1</CustomField1><CustomField2>c2</CustomField2><CustomField3>c3</CustomField3>" +
		"<CustomField4>c4</CustomField4><CustomField5>c5</CustomField5><CustomField6>c6</CustomField6>" +
		"<CustomField7>c7</CustomField7><CustomField8>c8</CustomField8><CustomField9>c9</CustomField9>" +
		"<CustomField10>c10</CustomField10><SalesforceId>sf</SalesforceId>" +
		"<SalesforceContactId>sfc</SalesforceContactId><SalesforceAccountId>sfa</SalesforceAccountId>" +
		"<Active>false</Active><InActiveDate>2026-03-04T04:06:07</InActiveDate>" +
		"<AccessLevel>L</AccessLevel><Brand>Brand</Brand><Culture>pt-PT</Culture><Manager>bo.chen</Manager>" +
		"<UserCustomField1>u1</UserCustomField1><UserCustomField9>ü9\uFFFD</UserCustomField9>" +
		"<UserCustomField25>u25</UserCustomField25>" +
		"<JobRole>Baker</JobRole><ExternalEmployeeId>E-1</ExternalEmployeeId>" +
		"</UserImport></UserImports>"
	entries := srv.Log().Entries()
	if len(entries) == 0 {
		t.Fatal("no request sent")
	}
	if diff := cmp.Diff(want, string(entries[0].Body)); diff != "" {
		t.Errorf("bulk import body (-want +got):\n%s", diff)
	}
}
