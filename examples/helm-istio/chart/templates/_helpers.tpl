{{/*
Object names carry no colour: blueGreenDeploy names each object for the colour it deploys (my-service-green) and
rewrites the references between them. The colour is in the labels, from the 'environment' value.
*/}}
{{- define "my-service.name" -}}
{{- .Chart.Name -}}
{{- end -}}

{{- define "my-service.labels" -}}
app: {{ include "my-service.name" . }}
environment: {{ .Values.environment | quote }}
app.kubernetes.io/name: {{ include "my-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "my-service.selector" -}}
app: {{ include "my-service.name" . }}
environment: {{ .Values.environment | quote }}
{{- end -}}
