//go:build tools

// Package tools pins the Helm CLI the cluster lab installs the chart with, as a user would.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
