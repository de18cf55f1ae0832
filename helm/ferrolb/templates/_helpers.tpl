{{/*
Names. Release "ferrolb" of chart "ferrolb" gives fullname "ferrolb", and every object name below
("ferrolb-controller", "ferrolb-memberlist", ...) is then the default the binaries look for.
*/}}
{{- define "ferrolb.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ferrolb.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ferrolb.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ferrolb.labels" -}}
helm.sh/chart: {{ include "ferrolb.chart" . }}
{{ include "ferrolb.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "ferrolb.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ferrolb.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ferrolb.controllerName" -}}
{{- printf "%s-controller" (include "ferrolb.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ferrolb.speakerName" -}}
{{- printf "%s-speaker" (include "ferrolb.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ferrolb.controller.serviceAccountName" -}}
{{- if .Values.controller.serviceAccount.create }}
{{- default (include "ferrolb.controllerName" .) .Values.controller.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.controller.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "ferrolb.speaker.serviceAccountName" -}}
{{- if .Values.speaker.serviceAccount.create }}
{{- default (include "ferrolb.speakerName" .) .Values.speaker.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.speaker.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "ferrolb.memberlistSecretName" -}}
{{- default (printf "%s-memberlist" (include "ferrolb.fullname" .)) .Values.speaker.secretName }}
{{- end }}

{{- define "ferrolb.excludel2Name" -}}
{{- printf "%s-excludel2" (include "ferrolb.fullname" .) }}
{{- end }}

{{- define "ferrolb.webhookConfigurationName" -}}
{{- printf "%s-webhook-configuration" (include "ferrolb.fullname" .) }}
{{- end }}

{{- define "ferrolb.webhookServiceName" -}}
{{- printf "%s-webhook-service" (include "ferrolb.fullname" .) }}
{{- end }}

{{- define "ferrolb.webhookSecretName" -}}
{{- printf "%s-webhook-cert" (include "ferrolb.fullname" .) }}
{{- end }}

{{/* The webhook objects exist only where a controller serves the webhook. */}}
{{- define "ferrolb.webhookEnabled" -}}
{{- if and .Values.controller.enabled (ne .Values.controller.webhookMode "disabled") }}true{{ end }}
{{- end }}

{{/* The selector the speakers find each other's Pods with (METALLB_ML_LABELS). */}}
{{- define "ferrolb.speaker.memberLabels" -}}
app.kubernetes.io/name={{ include "ferrolb.name" . }},app.kubernetes.io/instance={{ .Release.Name }},app.kubernetes.io/component=speaker
{{- end }}

{{/* MetalLB's log levels, as logback's root level (FERROLB_LOG_LEVEL). */}}
{{- define "ferrolb.logbackLevel" -}}
{{- $levels := dict "all" "ALL" "debug" "DEBUG" "info" "INFO" "warn" "WARN" "error" "ERROR" "none" "OFF" }}
{{- get $levels . | default "INFO" }}
{{- end }}

{{- define "ferrolb.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) }}
{{- end }}

{{/*
Grace for a stopping speaker: it leaves the membership at once, then keeps its handoff rules for
drainGraceMs; 5 s on top covers the leave and the process exit.
*/}}
{{- define "ferrolb.speaker.terminationGrace" -}}
{{- if kindIs "invalid" .Values.speaker.terminationGracePeriodSeconds }}
{{- if eq .Values.speaker.handoff "none" }}5{{ else }}{{ add (div (add (int .Values.speaker.drainGraceMs) 999) 1000) 5 }}{{ end }}
{{- else }}
{{- .Values.speaker.terminationGracePeriodSeconds }}
{{- end }}
{{- end }}

{{- define "ferrolb.probe" -}}
{{- $p := .probe -}}
httpGet:
  path: {{ .path }}
  port: monitoring
failureThreshold: {{ $p.failureThreshold }}
periodSeconds: {{ $p.periodSeconds }}
{{- if hasKey $p "initialDelaySeconds" }}
initialDelaySeconds: {{ $p.initialDelaySeconds }}
{{- end }}
{{- if hasKey $p "successThreshold" }}
successThreshold: {{ $p.successThreshold }}
{{- end }}
{{- if hasKey $p "timeoutSeconds" }}
timeoutSeconds: {{ $p.timeoutSeconds }}
{{- end }}
{{- end }}
