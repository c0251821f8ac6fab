using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using OpenConduct.Functions;

// The Functions app: the pipeline's triggers (PullExports, ProcessRawExport, ProcessIncomingDrop) and the public API
// (ApiFunctions), on Azure Storage and Azure AI Search. FunctionsApp lists what it registers; README.md every setting.
var builder = FunctionsApplication.CreateBuilder(args);
builder.AddOpenConductFunctions();
builder.Build().Run();
