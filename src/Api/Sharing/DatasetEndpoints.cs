using System.Globalization;
using System.Text;
using CitySense.Api.Endpoints;
using CitySense.Api.History;
using CitySense.Contracts.Alarms;
using CitySense.Contracts.Areas;
using CitySense.Contracts.History;
using CitySense.Contracts.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace CitySense.Api.Sharing;

/// <summary>The open-data catalogue (DCAT-style) and its daily datasets as CSV and JSON (docs/sharing.md).</summary>
public static class DatasetEndpoints
{
    public static RouteGroupBuilder MapDatasetEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/datasets", (HttpContext http, IOptions<SharingOptions> options) => TypedResults.Ok(DatasetCatalog.All(BaseUrl(http), options.Value)))
            .WithName("GetDatasets").WithSummary("The catalogue of open datasets (DCAT fields)");
        api.MapGet("/datasets/{id}", GetDataset).WithName("GetDataset").WithSummary("One dataset's description")
            .Produces<Dataset>().Produces<ProblemBody>(StatusCodes.Status404NotFound);
        api.MapGet("/datasets/{id}/data.csv", (string id, HttpContext http, IGrainFactory grains, IOptions<SharingOptions> sharing, IOptions<HistoryOptions> history,
                IOptions<AlarmOptions> alarms, TimeProvider time, string? from = null, string? to = null) =>
                DataAsync(id, csv: true, grains, sharing.Value, history.Value, alarms.Value, time, from, to))
            .WithName("GetDatasetCsv").WithSummary("A dataset's rows as CSV")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").Produces<ProblemBody>(StatusCodes.Status400BadRequest).Produces<ProblemBody>(StatusCodes.Status404NotFound);
        api.MapGet("/datasets/{id}/data.json", (string id, HttpContext http, IGrainFactory grains, IOptions<SharingOptions> sharing, IOptions<HistoryOptions> history,
                IOptions<AlarmOptions> alarms, TimeProvider time, string? from = null, string? to = null) =>
                DataAsync(id, csv: false, grains, sharing.Value, history.Value, alarms.Value, time, from, to))
            .WithName("GetDatasetJson").WithSummary("A dataset's rows as JSON")
            .Produces<DatasetRow[]>().Produces<ProblemBody>(StatusCodes.Status400BadRequest).Produces<ProblemBody>(StatusCodes.Status404NotFound);
        return api;
    }

    private static IResult GetDataset(string id, HttpContext http, IOptions<SharingOptions> options) =>
        DatasetCatalog.TryParse(id, out var level, out var kind)
            ? TypedResults.Ok(DatasetCatalog.Of(BaseUrl(http), level, kind, options.Value))
            : TypedResults.NotFound(UnknownDataset(id));

    private static async Task<IResult> DataAsync(string id, bool csv, IGrainFactory grains, SharingOptions sharing, HistoryOptions history, AlarmOptions alarms,
        TimeProvider time, string? from, string? to)
    {
        if (!DatasetCatalog.TryParse(id, out var level, out var kind))
        {
            return TypedResults.NotFound(UnknownDataset(id));
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(alarms.TimeZone);
        var now = time.GetUtcNow();
        // Whole local days: from the day sharing.DefaultDays ago up to and including today.
        from ??= DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime).AddDays(-sharing.DefaultDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (query, problem) = HistoryRange.Parse(kind, from, to, "1d", HistoryStep.Day, zone, history, now);
        if (problem is not null)
        {
            return TypedResults.BadRequest(problem);
        }

        var rows = new List<DatasetRow>();
        foreach (var (district, community, grain) in await AreasAsync(grains, level))
        {
            foreach (var p in await grain.GetHistory(query!))
            {
                rows.Add(new DatasetRow(p.LocalStart[..10], district, community, p.Kind, p.Consumption, p.Measured, p.Estimated, p.ReadingsAccepted,
                    p.ReadingsExpected, p.QualityScore));
            }
        }

        rows.Sort((a, b) => string.CompareOrdinal(a.Date + a.District + "/" + a.Community, b.Date + b.District + "/" + b.Community));
        return csv ? TypedResults.Text(Csv(rows), HistoryCsv.ContentType) : TypedResults.Ok(rows.ToArray());
    }

    /// <summary>The areas of a level, found from the city down (its districts, their communities).</summary>
    private static async Task<List<(string? District, string? Community, IAreaGrain Grain)>> AreasAsync(IGrainFactory grains, string level)
    {
        var city = grains.GetGrain<ICityGrain>(AreaKeys.City);
        if (level == "city")
        {
            return [(null, null, city)];
        }

        var areas = new List<(string?, string?, IAreaGrain)>();
        foreach (var district in (await city.GetSnapshot()).Children)
        {
            var grain = grains.GetGrain<IDistrictGrain>(district);
            if (level == "district")
            {
                areas.Add((district, null, grain));
                continue;
            }

            foreach (var community in (await grain.GetSnapshot()).Children)
            {
                areas.Add((district, community, grains.GetGrain<ICommunityGrain>(AreaKeys.Community(district, community))));
            }
        }

        return areas;
    }

    private static string Csv(List<DatasetRow> rows)
    {
        var csv = new StringBuilder("date,district,community,kind,consumption,consumption_measured,consumption_estimated,readings_accepted,readings_expected,quality_score\n");
        foreach (var r in rows)
        {
            // Ids are [A-Za-z0-9_.-]: nothing to quote.
            csv.Append(r.Date).Append(',').Append(r.District).Append(',').Append(r.Community).Append(',').Append(r.Kind).Append(',')
                .Append(r.Consumption.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.Measured.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(r.Estimated.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.ReadingsAccepted.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(r.ReadingsExpected.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(r.QualityScore?.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return csv.ToString();
    }

    private static ProblemBody UnknownDataset(string id) =>
        new("not-found", $"No dataset '{id}': GET /api/datasets lists them ({{city|district|community}}-daily-{{water|heat|gas}}).");

    private static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";
}
