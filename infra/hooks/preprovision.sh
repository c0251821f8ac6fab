#!/bin/sh
# azd preprovision hook: decides DEPLOY_EVENT_SUBSCRIPTIONS before every `azd provision` / `azd up`.
#
# The Event Grid subscriptions that trigger processing point at the function app's blob-extension webhook, whose URL
# carries the app's blobs_extension system key. That key exists only after the code has been deployed and the host
# has started, so infra/main.bicep deploys the subscriptions only when deployEventSubscriptions is true. This hook
# sets it to true when the key exists (the app is deployed), false otherwise (first provision, or the app is gone),
# so that a provision never fails on a missing key and every later provision re-applies the subscriptions with the
# current key. With false, existing subscriptions are left as they are (deployments are incremental).
# Needs the Azure CLI signed in (az login); without it the value is false and nothing breaks.
set -eu

app="${AZURE_FUNCTION_APP_NAME:-}"
group="${AZURE_RESOURCE_GROUP:-}"
value=false

if [ -n "$app" ] && [ -n "$group" ] && command -v az >/dev/null 2>&1; then
  key=$(az functionapp keys list --name "$app" --resource-group "$group" \
    --query "systemKeys.blobs_extension" --output tsv 2>/dev/null || true)
  if [ -n "$key" ]; then
    value=true
  fi
fi

if [ "${DEPLOY_EVENT_SUBSCRIPTIONS:-}" != "$value" ]; then
  azd env set DEPLOY_EVENT_SUBSCRIPTIONS "$value"
fi

if [ "$value" = true ]; then
  echo "preprovision: $app has its blobs_extension key: the Event Grid subscriptions are (re)applied by this provision."
else
  echo "preprovision: no deployed function app with a blobs_extension key yet: the Event Grid subscriptions are created after 'azd deploy' (postdeploy hook)."
fi
