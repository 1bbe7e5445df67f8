package model

// Kind is one kind of organisation or service: what the "kind" key may say.
// Every kind is declared once, in Kinds; the lists of allowed words, the
// labels of drawings and the direction warnings all read it.
type Kind struct {
	ID       string
	Class    Class
	Role     Role
	Singular string // as a label says one of them: "GP practice"
	Plural   string // as a label says several: "GP practices"
	Describe string // one line for the docs
}

// Role groups kinds by what they do in a health system. The direction
// warnings are written in roles, so that a new kind needs no new rule.
type Role string

const (
	// Organisations.
	RoleClinical     Role = "clinical"     // gives care to patients
	RoleCommissioner Role = "commissioner" // plans or buys care, or runs national services
	RoleCouncil      Role = "council"      // local government
	RoleSupplier     Role = "supplier"     // sells systems or services to the others
	RoleOtherOrg     Role = "other-organisation"
	// Services.
	RoleApplication Role = "application" // a system that staff or patients use
	RoleEntry       Role = "entry"       // how people get in: identity, remote access
	RolePlatform    Role = "platform"    // where other systems run
	RoleNetwork     Role = "network"     // what carries traffic between the others
	RoleOtherSvc    Role = "other-service"
)

// Kinds lists every kind, organisations first, each class in the order that
// error messages and the docs list them. "other" closes each class.
var Kinds = []Kind{
	{"trust", ClassOrganisation, RoleClinical, "trust", "trusts", "an NHS trust or foundation trust running hospitals (acute or specialist)"},
	{"icb", ClassOrganisation, RoleCommissioner, "ICB", "ICBs", "an integrated care board; other organisations name it in their `icb`"},
	{"gp-practice", ClassOrganisation, RoleClinical, "GP practice", "GP practices", "a general practice; its `patients` is its registered list"},
	{"community", ClassOrganisation, RoleClinical, "community provider", "community providers", "a provider of community health services (district nursing, therapies, clinics)"},
	{"mental-health", ClassOrganisation, RoleClinical, "mental health trust", "mental health trusts", "a provider of mental health (and often learning disability) services"},
	{"ambulance", ClassOrganisation, RoleClinical, "ambulance trust", "ambulance trusts", "an ambulance service: 999 and patient transport"},
	{"supplier", ClassOrganisation, RoleSupplier, "supplier", "suppliers", "a company that sells systems or services to the others"},
	{"urgent-care", ClassOrganisation, RoleClinical, "urgent care provider", "urgent care providers", "NHS 111, GP out-of-hours and urgent treatment centres"},
	{"primary-care-network", ClassOrganisation, RoleClinical, "primary care network", "primary care networks", "GP practices working together, with staff and systems they share"},
	{"pharmacy", ClassOrganisation, RoleClinical, "pharmacy", "pharmacies", "a community pharmacy contractor"},
	{"dental", ClassOrganisation, RoleClinical, "dental practice", "dental practices", "a dental practice"},
	{"optometry", ClassOrganisation, RoleClinical, "optometry practice", "optometry practices", "an optician or optometry practice"},
	{"care-home", ClassOrganisation, RoleClinical, "care home", "care homes", "a care home, with or without nursing"},
	{"hospice", ClassOrganisation, RoleClinical, "hospice", "hospices", "a hospice giving palliative and end-of-life care"},
	{"independent-sector", ClassOrganisation, RoleClinical, "independent sector provider", "independent sector providers", "a private or charitable provider of NHS-funded care"},
	{"local-authority", ClassOrganisation, RoleCouncil, "local authority", "local authorities", "a council: adult social care and public health"},
	{"commissioning-support", ClassOrganisation, RoleCommissioner, "commissioning support unit", "commissioning support units", "a commissioning support unit, which often runs GP IT and data services"},
	{"national-body", ClassOrganisation, RoleCommissioner, "national body", "national bodies", "a national body such as NHS England, which runs national systems"},
	{"other", ClassOrganisation, RoleOtherOrg, "other organisation", "other organisations", "anything else"},

	{"pathology", ClassService, RoleApplication, "pathology service", "pathology services", "a laboratory or laboratory information system"},
	{"imaging", ClassService, RoleApplication, "imaging service", "imaging services", "radiology: PACS, reporting"},
	{"gateway", ClassService, RoleApplication, "gateway service", "gateway services", "an integration engine or interface that passes messages between systems"},
	{"epr", ClassService, RoleApplication, "epr service", "epr services", "an electronic patient record, GP clinical system or case notes system"},
	{"network", ClassService, RoleNetwork, "network service", "network services", "a network: HSCN, a shared WAN or LAN"},
	{"identity", ClassService, RoleEntry, "identity service", "identity services", "sign-in: a directory, smartcards, single sign-on"},
	{"hosting", ClassService, RolePlatform, "hosting service", "hosting services", "a data centre, cloud platform or tenant on which other systems run"},
	{"telephony", ClassService, RoleApplication, "telephony service", "telephony services", "telephone systems: NHS 111 and switchboard call handling, cloud telephony"},
	{"booking", ClassService, RoleApplication, "booking service", "booking services", "appointment booking and referral: e-Referral, online booking"},
	{"records-sharing", ClassService, RoleApplication, "records-sharing service", "records-sharing services", "a shared care record or data platform that several organisations read"},
	{"remote-access", ClassService, RoleEntry, "remote-access service", "remote-access services", "a VPN or remote support tool through which staff or suppliers get in"},
	{"stock", ClassService, RoleOtherSvc, "stock", "stocks", "a shared stock, such as blood or a medicine: it runs down instead of failing (give it stock)"},
	{"other", ClassService, RoleOtherSvc, "other service", "services", "anything else"},
}

// Kinds of organisation, in the order of Kinds.
var OrganisationKinds = kindIDs(ClassOrganisation)

// Kinds of service, in the order of Kinds.
var ServiceKinds = kindIDs(ClassService)

func kindIDs(c Class) []string {
	var out []string
	for _, k := range Kinds {
		if k.Class == c {
			out = append(out, k.ID)
		}
	}
	return out
}

// KindOf returns the declaration of a kind of a class.
func KindOf(c Class, id string) (Kind, bool) {
	if i, ok := kindIndex[kindKey{c, id}]; ok {
		return Kinds[i], true
	}
	return Kind{}, false
}

type kindKey struct {
	class Class
	id    string
}

// kindIndex finds a kind in Kinds by class and id: a check looks up two
// kinds for each dependency.
var kindIndex = func() map[kindKey]int {
	ix := make(map[kindKey]int, len(Kinds))
	for i, k := range Kinds {
		if _, dup := ix[kindKey{k.Class, k.ID}]; !dup {
			ix[kindKey{k.Class, k.ID}] = i
		}
	}
	return ix
}()
