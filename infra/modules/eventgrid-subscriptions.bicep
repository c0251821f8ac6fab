// Event Grid subscriptions that deliver BlobCreated events of a container to a blob-triggered function, through the
// Functions blob extension's webhook:
//   https://{host}/runtime/webhooks/blobs?functionName=Host.Functions.{function}&code={blobs_extension system key}
// The blobs_extension key exists only once the host has started with a blob trigger whose Source is EventGrid, that
// is after the code is deployed; main.bicep deploys this module only when deployEventSubscriptions is true, which the
// azd hooks set once the key exists (infra/hooks, docs/deploy.md). The key is read here at deployment time, so it is
// neither a parameter nor stored in the deployment's inputs, and a new key is picked up by the next provision.

@export()
@description('One subscription: the blobs created under a container, delivered to one function.')
type blobSubscription = {
  @description('Name of the event subscription.')
  name: string

  @description('Container whose new blobs are delivered.')
  container: string

  @description('Name of the blob-triggered function ([Function("...")]) that receives them.')
  functionName: string

  @description('Only blobs whose subject ends so (e.g. \'/_manifest.json\'); \'\' for every blob of the container.')
  subjectEndsWith: string
}

@description('Name of the storage account\'s Event Grid system topic.')
param systemTopicName string

@description('Name of the function app.')
param functionAppName string

@description('The subscriptions to create.')
param subscriptions blobSubscription[]

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource site 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

var blobsExtensionKey = listKeys('${site.id}/host/default', '2024-11-01').systemKeys.blobs_extension

resource eventSubscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = [
  for s in subscriptions: {
    parent: topic
    name: s.name
    properties: {
      destination: {
        endpointType: 'WebHook'
        properties: {
          endpointUrl: 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${s.functionName}&code=${blobsExtensionKey}'
          maxEventsPerBatch: 1
          preferredBatchSizeInKilobytes: 64
        }
      }
      filter: {
        includedEventTypes: [
          'Microsoft.Storage.BlobCreated'
        ]
        subjectBeginsWith: '/blobServices/default/containers/${s.container}/'
        subjectEndsWith: s.subjectEndsWith
      }
      eventDeliverySchema: 'EventGridSchema'
      retryPolicy: {
        maxDeliveryAttempts: 30
        eventTimeToLiveInMinutes: 1440
      }
    }
  }
]
