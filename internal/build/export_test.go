package build

// RoomWhileLoading is roomWhileLoading, for the tests.
var RoomWhileLoading = roomWhileLoading
