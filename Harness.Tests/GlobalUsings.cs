// The test-peer kit (Support/Peers) and the shared runners are used across the test namespaces.
global using Conformance.Tests.Support;
