import 'dart:async';

import 'package:firebase_core/firebase_core.dart';
import 'package:firebase_messaging/firebase_messaging.dart';
import 'package:flet/flet.dart';
import 'package:flutter/foundation.dart';

/// request_permission -> status string, get_token -> token or null, initial_message -> the data of the
/// notification whose tap launched the app (or null); events "token_refresh" and "message_opened".
///
/// Firebase is initialised on first use, from the options the app sends (firebase_options) or else
/// from the platform's bundled google-services.json / GoogleService-Info.plist. When neither is there
/// the service answers "unavailable" / null: the app then lives without push.
class PushMessagingService extends FletService {
  PushMessagingService({required super.control});

  Future<bool>? _firebase;
  StreamSubscription<String>? _refresh;
  StreamSubscription<RemoteMessage>? _opened;
  bool _disposed = false;

  static bool get _supported =>
      !kIsWeb &&
      (defaultTargetPlatform == TargetPlatform.android ||
          defaultTargetPlatform == TargetPlatform.iOS);

  @override
  void init() {
    super.init();
    control.addInvokeMethodListener(_invokeMethod);
  }

  Future<bool> _ready() => _firebase ??= _initialise();

  Future<bool> _initialise() async {
    if (!_supported) return false;
    try {
      if (Firebase.apps.isEmpty) {
        final options = _options(control.get<Map>("firebase_options"));
        if (options != null) {
          await Firebase.initializeApp(options: options);
        } else {
          await Firebase.initializeApp();
        }
      }
      _followRefreshes();
      return true;
    } catch (e) {
      debugPrint("DongPhiPushMessaging: Firebase is not configured in this build: $e");
      return false;
    }
  }

  static FirebaseOptions? _options(Map? map) {
    if (map == null) return null;
    final apiKey = map["api_key"] as String?;
    final appId = map["app_id"] as String?;
    final senderId = map["messaging_sender_id"] as String?;
    final projectId = map["project_id"] as String?;
    if ([apiKey, appId, senderId, projectId].any((v) => v == null || v.isEmpty)) {
      return null;
    }
    return FirebaseOptions(
      apiKey: apiKey!,
      appId: appId!,
      messagingSenderId: senderId!,
      projectId: projectId!,
      iosBundleId: map["ios_bundle_id"] as String?,
    );
  }

  /// From the first use on: each new token goes to Python as the "token_refresh" event, and each tap on
  /// a notification that brings the app back from the background as "message_opened" with its data.
  void _followRefreshes() {
    if (_disposed || _refresh != null) return;
    _refresh = FirebaseMessaging.instance.onTokenRefresh.listen(
      (token) => control.triggerEvent("token_refresh", {"token": token}),
      onError: (Object e) => debugPrint("DongPhiPushMessaging: token refresh failed: $e"),
    );
    _opened = FirebaseMessaging.onMessageOpenedApp.listen(
      (message) => control.triggerEvent("message_opened", {"payload": _stringData(message)}),
      onError: (Object e) => debugPrint("DongPhiPushMessaging: opened message lost: $e"),
    );
  }

  /// FCM data values are strings on the wire; anything else is dropped rather than guessed at.
  static Map<String, String> _stringData(RemoteMessage message) => {
        for (final entry in message.data.entries)
          if (entry.value is String) entry.key: entry.value as String,
      };

  Future<dynamic> _invokeMethod(String name, dynamic args) async {
    switch (name) {
      case "request_permission":
        if (!await _ready()) return "unavailable";
        final settings = await FirebaseMessaging.instance.requestPermission();
        return _status(settings.authorizationStatus);
      case "get_token":
        if (!await _ready()) return null;
        try {
          if (defaultTargetPlatform == TargetPlatform.iOS &&
              await FirebaseMessaging.instance.getAPNSToken() == null) {
            // Not registered with APNs yet: the token comes later through "token_refresh".
            return null;
          }
          return await FirebaseMessaging.instance.getToken();
        } catch (e) {
          debugPrint("DongPhiPushMessaging: no token: $e");
          return null;
        }
      case "initial_message":
        if (!await _ready()) return null;
        try {
          final message = await FirebaseMessaging.instance.getInitialMessage();
          return message == null ? null : _stringData(message);
        } catch (e) {
          debugPrint("DongPhiPushMessaging: no initial message: $e");
          return null;
        }
      default:
        throw Exception("Unknown DongPhiPushMessaging method: $name");
    }
  }

  static String _status(AuthorizationStatus status) => switch (status) {
        AuthorizationStatus.authorized => "authorized",
        AuthorizationStatus.provisional => "provisional",
        AuthorizationStatus.denied => "denied",
        AuthorizationStatus.notDetermined => "not_determined",
      };

  @override
  void dispose() {
    _disposed = true;
    control.removeInvokeMethodListener(_invokeMethod);
    _refresh?.cancel();
    _refresh = null;
    _opened?.cancel();
    _opened = null;
    super.dispose();
  }
}
