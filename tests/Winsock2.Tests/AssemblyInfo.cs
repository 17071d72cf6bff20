// WSAStartup/WSACleanup reference-count one process-wide API instance; the last WSACleanup closes every
// socket. Test classes therefore run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// Any internal failure reported while a test runs fails that test (InternalFailureGuard.cs).
[assembly: Winsock2.Tests.InternalFailureGuard]
