{{- define "token-center.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "token-center.fullname" -}}
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

{{- define "token-center.selectorLabels" -}}
app.kubernetes.io/name: {{ include "token-center.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "token-center.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "token-center.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "token-center.redisEnv" -}}
{{- $redis := .Values.redis }}
{{- if eq $redis.mode "single" }}
- name: TOKEN_CENTER_REDIS_ADDRESS
  value: {{ required "redis.address is required with redis.mode single" $redis.address | quote }}
{{- else if eq $redis.mode "sentinel" }}
- name: TOKEN_CENTER_REDIS_SENTINEL_MASTER_NAME
  value: {{ required "redis.sentinel.masterName is required with redis.mode sentinel" $redis.sentinel.masterName | quote }}
{{- if not $redis.sentinel.addresses }}
{{- fail "redis.sentinel.addresses is required with redis.mode sentinel" }}
{{- end }}
- name: TOKEN_CENTER_REDIS_SENTINEL_ADDRESSES
  value: {{ $redis.sentinel.addresses | join "," | quote }}
{{- else if eq $redis.mode "cluster" }}
{{- if not $redis.cluster.nodes }}
{{- fail "redis.cluster.nodes is required with redis.mode cluster" }}
{{- end }}
- name: TOKEN_CENTER_REDIS_CLUSTER_NODES
  value: {{ $redis.cluster.nodes | join "," | quote }}
{{- else }}
{{- fail "redis.mode must be single, sentinel or cluster" }}
{{- end }}
{{- if and (ne $redis.mode "cluster") $redis.database }}
- name: TOKEN_CENTER_REDIS_DATABASE
  value: {{ $redis.database | quote }}
{{- end }}
{{- if $redis.secret.name }}
- name: TOKEN_CENTER_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $redis.secret.name }}
      key: {{ $redis.secret.passwordKey }}
{{- if and (eq $redis.mode "sentinel") $redis.secret.sentinelPasswordKey }}
- name: TOKEN_CENTER_REDIS_SENTINEL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $redis.secret.name }}
      key: {{ $redis.secret.sentinelPasswordKey }}
{{- end }}
{{- end }}
{{- end }}
