import 'package:flet/flet.dart';
import 'package:flutter/foundation.dart';
import 'package:screen_protector/screen_protector.dart';

/// protect / release: keeps the screen out of screenshots, recordings and the app switcher.
class ScreenShieldService extends FletService {
  ScreenShieldService({required super.control});

  bool _protected = false;

  static bool get _android =>
      !kIsWeb && defaultTargetPlatform == TargetPlatform.android;

  static bool get _ios => !kIsWeb && defaultTargetPlatform == TargetPlatform.iOS;

  @override
  void init() {
    super.init();
    control.addInvokeMethodListener(_invokeMethod);
  }

  Future<dynamic> _invokeMethod(String name, dynamic args) async {
    switch (name) {
      case "protect":
        await _protect();
        return null;
      case "release":
        await _release();
        return null;
      default:
        throw Exception("Unknown DongPhiScreenShield method: $name");
    }
  }

  Future<void> _protect() async {
    if (_android) {
      // FLAG_SECURE: captures are black and the recents thumbnail is blank.
      await ScreenProtector.preventScreenshotOn();
    } else if (_ios) {
      // Captures and recordings show a blank screen; the app switcher snapshot is blurred.
      await ScreenProtector.preventScreenshotOn();
      await ScreenProtector.protectDataLeakageWithBlur();
    }
    _protected = true;
  }

  Future<void> _release() async {
    if (_android) {
      await ScreenProtector.preventScreenshotOff();
    } else if (_ios) {
      await ScreenProtector.preventScreenshotOff();
      await ScreenProtector.protectDataLeakageWithBlurOff();
    }
    _protected = false;
  }

  @override
  void dispose() {
    control.removeInvokeMethodListener(_invokeMethod);
    if (_protected) {
      // The session went away while protected: do not leave the whole app uncapturable.
      _release().catchError((Object e) {
        debugPrint("DongPhiScreenShield: release on dispose failed: $e");
      });
    }
    super.dispose();
  }
}
