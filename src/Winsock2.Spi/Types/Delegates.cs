namespace Winsock2;

/// <summary>Completion routine of an overlapped WSARecv/WSASend: runs on the initiating thread during an alertable wait.</summary>
public delegate void LPWSAOVERLAPPED_COMPLETION_ROUTINE(uint dwError, uint cbTransferred, WSAOVERLAPPED lpOverlapped, uint dwFlags);

/// <summary>WSAAccept's condition function: returns CF_ACCEPT, CF_REJECT or CF_DEFER.</summary>
public delegate int LPCONDITIONPROC(WSABUF? lpCallerId, WSABUF? lpCallerData, QOS? lpSQOS, QOS? lpGQOS,
    WSABUF? lpCalleeId, WSABUF? lpCalleeData, out uint g, nuint dwCallbackData);

/// <summary>An asynchronous procedure call queued with WPUQueueApc; receives one context value.</summary>
public delegate void LPWSAUSERAPC(object? dwContext);

/// <summary>The blocking callback of WPUQueryBlockingCallback: FALSE means the blocking call was cancelled.</summary>
public delegate bool LPBLOCKINGCALLBACK(nuint dwContext);
