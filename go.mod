module github.com/blastradius/blastradius

go 1.26.0

require (
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	gonum.org/v1/gonum v0.17.0
	gopkg.in/yaml.v3 v3.0.1
)

require golang.org/x/text v0.23.0 // indirect
