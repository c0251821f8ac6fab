#!/bin/sh
# azd postdeploy hook: makes sure the Event Grid subscriptions that trigger processing exist once the code is deployed.
#
# The first deployment of the code is what creates the function app's blobs_extension system key (the host creates
# it when it starts with blob triggers whose Source is EventGrid). Once the key exists, this hook runs a second
# `azd provision`: the preprovision hook then sets DEPLOY_EVENT_SUBSCRIPTIONS=true and infra/main.bicep creates the
# subscriptions (AZURE_EVENT_SUBSCRIPTION_NAMES: exports-raw -> ProcessRawExport, exports-incoming ->
# ProcessIncomingDrop) with the key it reads at deployment time. The subscriptions are thus defined in one place,
# Bicep, and the key is never in a file or a variable.
# Later deployments find them and do nothing. Needs the Azure CLI signed in (az login) besides azd.
set -eu

: "${AZURE_FUNCTION_APP_NAME:?run azd provision first}"
: "${AZURE_FUNCTION_URL:?run azd provision first}"
: "${AZURE_RESOURCE_GROUP:?run azd provision first}"
: "${AZURE_EVENTGRID_SYSTEM_TOPIC_NAME:?run azd provision first}"
: "${AZURE_EVENT_SUBSCRIPTION_NAMES:?run azd provision first}"
app="$AZURE_FUNCTION_APP_NAME"
group="$AZURE_RESOURCE_GROUP"
topic="$AZURE_EVENTGRID_SYSTEM_TOPIC_NAME"
wanted="$AZURE_EVENT_SUBSCRIPTION_NAMES"

if ! command -v az >/dev/null 2>&1; then
  echo "postdeploy: the Azure CLI (az) is needed to check the Event Grid subscriptions; install it, run 'az login', then 'azd hooks run postdeploy'." >&2
  exit 1
fi

missing=""
existing=$(az eventgrid system-topic event-subscription list --resource-group "$group" --system-topic-name "$topic" \
  --query "[].name" --output tsv 2>/dev/null || true)
for name in $wanted; do
  if ! printf '%s\n' "$existing" | grep -qx "$name"; then
    missing="$missing $name"
  fi
done
if [ -z "$missing" ]; then
  echo "postdeploy: the Event Grid subscriptions exist ($wanted): nothing to do."
  exit 0
fi
echo "postdeploy: missing Event Grid subscriptions:$missing"

# Start the host (a request to the API), then wait for it to create the blobs_extension key.
az rest --method get --url "$AZURE_FUNCTION_URL/api/health" --skip-authorization-header >/dev/null 2>&1 || true
tries=0
until [ -n "$(az functionapp keys list --name "$app" --resource-group "$group" \
  --query "systemKeys.blobs_extension" --output tsv 2>/dev/null || true)" ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 30 ]; then
    echo "postdeploy: $app has no blobs_extension key after 5 minutes. Are ProcessRawExport and ProcessIncomingDrop deployed as blob triggers with Source = BlobTriggerSource.EventGrid? Check the app's logs, then run 'azd hooks run postdeploy'." >&2
    exit 1
  fi
  echo "postdeploy: waiting for the blobs_extension key of $app ($tries/30)"
  sleep 10
done

echo "postdeploy: creating the Event Grid subscriptions with a second provision"
azd env set DEPLOY_EVENT_SUBSCRIPTIONS true
# --no-state: deploy even when the parameters are those of the last provision (subscriptions deleted by hand).
azd provision --no-prompt --no-state

existing=$(az eventgrid system-topic event-subscription list --resource-group "$group" --system-topic-name "$topic" \
  --query "[].name" --output tsv)
for name in $wanted; do
  if ! printf '%s\n' "$existing" | grep -qx "$name"; then
    echo "postdeploy: the Event Grid subscription $name is still missing after the provision." >&2
    exit 1
  fi
done
echo "postdeploy: Event Grid subscriptions in place: $wanted"
