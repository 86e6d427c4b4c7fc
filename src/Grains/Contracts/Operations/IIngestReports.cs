namespace CitySense.Contracts.Operations;

/// <summary>
/// What the MQTT edge tells operators (GET /api/rejections, GET /api/security), for the API to serve without knowing
/// the edge's classes.
/// </summary>
public interface IIngestReports
{
    /// <summary>Rejected inputs: counts per reason and per community, and the most recent ones.</summary>
    RejectionsReport Rejections();

    /// <summary>Authentication, TLS and rate limits in force, and the refusals per reason (no secret is ever shown).</summary>
    SecurityReport Security();
}
