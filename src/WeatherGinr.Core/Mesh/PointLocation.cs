namespace WeatherGinr.Core.Mesh;

/// <summary>
/// The icosphere triangle that contains a point on the sphere, and the point's barycentric weights in it.
/// </summary>
/// <remarks>
/// The weights are the planar barycentric coordinates of the point where the ray from the centre through
/// the query point meets the flat triangle (NodeA, NodeB, NodeC), so
/// <c>normalize(WeightA * a + WeightB * b + WeightC * c)</c> is the query point again. They are at least 0
/// and sum to 1; a weight of 0 means the point lies on the opposite edge.
/// </remarks>
public readonly record struct PointLocation(
    int Triangle, int NodeA, int NodeB, int NodeC, double WeightA, double WeightB, double WeightC);
