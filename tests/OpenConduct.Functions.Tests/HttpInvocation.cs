using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace OpenConduct.Functions.Tests;

/// <summary>
/// An HTTP function invoked as the ASP.NET Core integration invokes it: the request as an <see cref="HttpRequest"/>
/// whose context's services are the invocation's scope, then the returned <see cref="IResult"/> executed on that
/// context (what FunctionsHttpProxyingMiddleware does), the response captured.
/// </summary>
internal static class HttpInvocation
{
    public static async Task<(int Status, IHeaderDictionary Headers, string Body)> InvokeAsync(
        IServiceProvider services, string host, string method, string pathAndQuery, Func<HttpRequest, Task<IResult>> function, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var (status, responseHeaders, body) = await InvokeBytesAsync(services, host, method, pathAndQuery, function, headers);
        return (status, responseHeaders, Encoding.UTF8.GetString(body));
    }

    public static async Task<(int Status, IHeaderDictionary Headers, byte[] Body)> InvokeBytesAsync(
        IServiceProvider services, string host, string method, string pathAndQuery, Func<HttpRequest, Task<IResult>> function, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(host);
        context.Request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
        foreach (var (name, value) in headers ?? [])
        {
            context.Request.Headers[name] = new StringValues(value);
        }

        using var body = new MemoryStream();
        context.Response.Body = body;
        var result = await function(context.Request);
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, context.Response.Headers, body.ToArray());
    }
}
